import { VitrineClient } from '../../../src/client/index.js';
import { admin, adminKey, setAdminKey } from '../core/api.js';
import { errorBox, h, replace, type Child } from '../core/dom.js';
import { navEntries, navigate, type Layout } from '../core/router.js';

/**
 * The dashboard's frame: its tabs (the admin pages of the pages table) and
 * the admin key gate. The key is typed in once per tab and kept in
 * sessionStorage (never in a cookie or on disk); a 401/403 clears it.
 */
function keyForm(message?: string): HTMLElement {
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', placeholder: 'vk_…', 'data-testid': 'admin-key-input', 'aria-label': 'Admin key', required: true });
  const out = h('div', { class: 'form-error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    {
      class: 'card key-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          const key = input.value.trim();
          new VitrineClient({ baseUrl: '', apiKey: key, cookieJar: false }).serviceMetrics().then(
            () => {
              setAdminKey(key);
              navigate(location.pathname + location.search, true);
            },
            (err: unknown) => replace(out, (err as Error).message),
          );
        },
      },
    },
    h('h2', null, 'Admin sign-in'),
    h('p', { class: 'muted' }, 'Enter an admin API key. `vitrine shop` prints one at start; `vitrine keys create --role admin` makes another. It stays in this tab only.'),
    h('label', { class: 'field' }, h('span', null, 'Admin key'), input),
    out,
    h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'admin-key-submit' }, 'Open the dashboard'),
  );
  return form;
}

function tabs(): HTMLElement {
  const here = location.pathname;
  return h(
    'nav',
    { class: 'tabs', 'aria-label': 'Dashboard' },
    navEntries('admin').map((p) => h('a', { href: p.path, 'data-link': true, class: ['tab', here === p.path && 'active'] }, p.nav.label)),
  );
}

export const adminLayout: Layout = async (page, body) => {
  const signOut = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', on: { click: () => (setAdminKey(null), navigate(location.pathname, true)) } }, 'Sign out');
  const frame = (content: Child, signedIn: boolean): Child =>
    h(
      'div',
      { class: 'admin' },
      h('div', { class: 'admin-head' }, h('div', { class: 'wrap admin-head-inner' }, h('div', null, h('span', { class: 'eyebrow' }, 'Admin dashboard'), h('h1', null, page.title)), signedIn ? h('div', { class: 'admin-who' }, h('span', { class: 'muted' }, `key ${adminKey()!.slice(0, 12)}…`), signOut) : null)),
      signedIn ? h('div', { class: 'wrap' }, tabs()) : null,
      h('main', { class: 'page wrap' }, content),
    );
  if (admin() === null) return frame(keyForm(), false);
  try {
    return frame(await body(), true);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') {
      setAdminKey(null);
      return frame(keyForm(`That key no longer works (${code}): enter an admin key.`), false);
    }
    return frame(errorBox(e), true);
  }
};
