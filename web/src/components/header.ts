import { serverFeatures, type Features } from '../core/api.js';
import { h } from '../core/dom.js';
import { navEntries, onNavigate } from '../core/router.js';

/**
 * The top bar: the brand, the storefront's pages (from the pages table,
 * hiding those whose feature the server lacks) and the dashboard link; the
 * link of the current page is marked.
 */
export function header(): HTMLElement {
  const nav = h('nav', { class: 'topnav', 'aria-label': 'Main' });
  const links: { a: HTMLAnchorElement; match: (path: string) => boolean }[] = [];
  const add = (href: string, label: string, match: (path: string) => boolean): void => {
    const a = h('a', { href, 'data-link': true, class: 'topnav-link' }, label);
    links.push({ a, match });
    nav.append(a);
  };
  const mark = (path: string): void => {
    for (const l of links) l.a.classList.toggle('active', l.match(path));
  };
  void serverFeatures().then((f: Features) => {
    for (const p of navEntries('shop')) {
      if (p.nav.feature !== undefined && !(f as unknown as Record<string, unknown>)[p.nav.feature]) continue;
      add(p.path, p.nav.label, (path) => path === p.path || (p.path === '/' && path.startsWith('/product/')));
    }
    add('/seller', 'Sell', (path) => path.startsWith('/seller'));
    add('/admin', 'Dashboard', (path) => path.startsWith('/admin'));
    mark(location.pathname);
  });
  onNavigate(mark);
  return h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'topbar-inner' }, h('a', { href: '/', 'data-link': true, class: 'brand', 'aria-label': 'vitrine home' }, h('span', { class: 'brand-mark' }, 'v'), 'vitrine'), nav),
  );
}
