import { keyedLayout } from '../core/keyed-layout.js';

/** The seller pages' frame: the seller key gate (an admin key opens it too; core/keyed-layout.ts). */
export const sellerLayout = keyedLayout({
  area: 'seller',
  eyebrow: 'Seller',
  roles: ['seller', 'admin'],
  signIn: {
    title: 'Seller sign-in',
    text: 'Enter a seller API key. `vitrine shop` prints one at start; `vitrine keys create --role seller` makes another. It stays in this tab only.',
    label: 'Seller key',
    button: 'Open the seller pages',
  },
});
