import { VitrineClient } from '../../../src/client/index.js';
import { areaKey, setAreaKey, type KeyedArea } from './api.js';
import { errorBox, h, replace, type Child } from './dom.js';
import { navEntries, navigate, type Layout } from './router.js';

/**
 * The frame of a key-gated area (the admin dashboard, the seller pages): its
 * tabs (the area's pages in the pages table) and the key gate. The key is
 * typed in once per tab, checked with GET /api/keys/me against the role the
 * area needs, and kept in sessionStorage (never in a cookie or on disk); a
 * 401/403 from a page clears it.
 */
export interface KeyedAreaSpec {
  area: KeyedArea;
  /** Small heading above the page title. */
  eyebrow: string;
  /** Roles whose keys open the area. */
  roles: readonly string[];
  signIn: { title: string; text: string; label: string; button: string };
}

function keyForm(spec: KeyedAreaSpec, message?: string): HTMLElement {
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', placeholder: 'vk_…', 'data-testid': `${spec.area}-key-input`, 'aria-label': spec.signIn.label, required: true });
  const out = h('div', { class: 'form-error', role: 'alert' }, message ?? '');
  return h(
    'form',
    {
      class: 'card key-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          const key = input.value.trim();
          new VitrineClient({ baseUrl: '', apiKey: key, cookieJar: false }).whoami().then(
            (me) => {
              if (!spec.roles.includes(me.role)) return replace(out, `That is a ${me.role} key; this needs ${spec.roles.join(' or ')}.`);
              setAreaKey(spec.area, key);
              navigate(location.pathname + location.search, true);
            },
            (err: unknown) => replace(out, (err as Error).message),
          );
        },
      },
    },
    h('h2', null, spec.signIn.title),
    h('p', { class: 'muted' }, spec.signIn.text),
    h('label', { class: 'field' }, h('span', null, spec.signIn.label), input),
    out,
    h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': `${spec.area}-key-submit` }, spec.signIn.button),
  );
}

function tabs(spec: KeyedAreaSpec): HTMLElement | null {
  const entries = navEntries(spec.area);
  if (entries.length < 2) return null;
  const here = location.pathname;
  return h('nav', { class: 'tabs', 'aria-label': spec.eyebrow }, entries.map((p) => h('a', { href: p.path, 'data-link': true, class: ['tab', here === p.path && 'active'] }, p.nav.label)));
}

export function keyedLayout(spec: KeyedAreaSpec): Layout {
  return async (page, body) => {
    const key = areaKey(spec.area);
    const signOut = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', on: { click: () => (setAreaKey(spec.area, null), navigate(location.pathname, true)) } }, 'Sign out');
    const frame = (content: Child, signedIn: boolean): Child =>
      h(
        'div',
        { class: 'admin' },
        h('div', { class: 'admin-head' }, h('div', { class: 'wrap admin-head-inner' }, h('div', null, h('span', { class: 'eyebrow' }, spec.eyebrow), h('h1', null, page.title)), signedIn && key !== null ? h('div', { class: 'admin-who' }, h('span', { class: 'muted' }, `key ${key.slice(0, 12)}…`), signOut) : null)),
        signedIn ? h('div', { class: 'wrap' }, tabs(spec)) : null,
        h('main', { class: 'page wrap' }, content),
      );
    if (key === null) return frame(keyForm(spec), false);
    try {
      return frame(await body(), true);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') {
        setAreaKey(spec.area, null);
        return frame(keyForm(spec, `That key no longer works (${code}): enter another.`), false);
      }
      return frame(errorBox(e), true);
    }
  };
}
