import { keyedLayout } from '../core/keyed-layout.js';

/** The dashboard's frame: its tabs and the admin key gate (core/keyed-layout.ts). */
export const adminLayout = keyedLayout({
  area: 'admin',
  eyebrow: 'Admin dashboard',
  roles: ['admin'],
  signIn: {
    title: 'Admin sign-in',
    text: 'Enter an admin API key. `vitrine shop` prints one at start; `vitrine keys create --role admin` makes another. It stays in this tab only.',
    label: 'Admin key',
    button: 'Open the dashboard',
  },
});
