import { errorBox, h, replace, type Child } from './dom.js';

/**
 * The pages table and a history-API router. A page is registered once
 * (pages/index.ts) with its path pattern, the area whose layout frames it
 * (the storefront or the admin dashboard), an optional navigation entry,
 * and a loader: the page's module is fetched only when the page opens, so
 * the storefront never downloads the dashboard's charts. Later features add
 * a page by registering it; nothing else changes.
 */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Aborted when the visitor leaves the page: close streams, stop polling. */
  signal: AbortSignal;
  navigate(path: string): void;
}

export type PageRender = (ctx: PageContext) => Child | Promise<Child>;

export type Area = 'shop' | 'admin' | 'seller';

export interface PageDef {
  /** "/product/:id" (":name" matches one path segment). */
  path: string;
  title: string;
  area: Area;
  /** Shown in the area's navigation, by order; `feature` hides it when the server lacks that feature. */
  nav?: { label: string; order: number; feature?: string };
  load: () => Promise<{ render: PageRender }>;
}

/** Frames a page of an area (header, tabs, the admin key gate). */
export type Layout = (page: PageDef, body: () => Promise<Child>, ctx: PageContext) => Child | Promise<Child>;

const pages: PageDef[] = [];
const layouts = new Map<Area, Layout>();
let outlet: HTMLElement | undefined;
let current: AbortController | undefined;
const listeners = new Set<(path: string) => void>();

export function registerPage(page: PageDef): void {
  if (pages.some((p) => p.path === page.path)) throw new Error(`two pages at ${page.path}`);
  pages.push(page);
}

export function registerLayout(area: Area, layout: Layout): void {
  layouts.set(area, layout);
}

/** Navigation entries of an area, in order. */
export function navEntries(area: Area): (PageDef & { nav: NonNullable<PageDef['nav']> })[] {
  return pages.filter((p): p is PageDef & { nav: NonNullable<PageDef['nav']> } => p.area === area && p.nav !== undefined).sort((a, b) => a.nav.order - b.nav.order);
}

function match(path: string): { page: PageDef; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const page of pages) {
    const pattern = page.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (pattern.every((seg, i) => (seg.startsWith(':') ? ((params[seg.slice(1)] = decodeURIComponent(parts[i]!)), true) : seg === parts[i]))) return { page, params };
  }
  return undefined;
}

/** Called after every navigation (the header marks the active link). */
export function onNavigate(fn: (path: string) => void): void {
  listeners.add(fn);
}

export function navigate(path: string, replaceState = false): void {
  if (replaceState) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

async function render(): Promise<void> {
  if (outlet === undefined) return;
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const url = new URL(location.href);
  const found = match(url.pathname);
  for (const fn of listeners) fn(url.pathname);
  if (found === undefined) {
    document.title = 'Not found · vitrine';
    replace(outlet, h('section', { class: 'page narrow' }, h('h1', null, 'Page not found'), h('p', null, 'There is no page at ', h('code', null, url.pathname), '. ', h('a', { href: '/', 'data-link': true }, 'Back to the shop'))));
    return;
  }
  const { page, params } = found;
  document.title = `${page.title} · vitrine`;
  const ctx: PageContext = { params, query: url.searchParams, signal: controller.signal, navigate };
  const body = async (): Promise<Child> => (await page.load()).render(ctx);
  const layout = layouts.get(page.area);
  try {
    const node = layout ? await layout(page, body, ctx) : await body();
    if (!controller.signal.aborted) replace(outlet, node);
  } catch (e) {
    if (!controller.signal.aborted) replace(outlet, h('section', { class: 'page' }, errorBox(e)));
  }
  if (!controller.signal.aborted) window.scrollTo(0, 0);
}

/** Starts routing into `el`: same-origin links with data-link navigate without a reload. */
export function startRouter(el: HTMLElement): void {
  outlet = el;
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest?.('a[data-link]');
    if (!(a instanceof HTMLAnchorElement) || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
  window.addEventListener('popstate', () => void render());
  void render();
}
