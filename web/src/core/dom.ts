/**
 * A few DOM helpers instead of a framework: `h` builds elements (props,
 * event handlers, children), `svg` the same for charts, `replace` swaps an
 * element's content. Pages are functions that return nodes; live parts
 * (the feed, job progress) update their own nodes.
 */

export type Child = Node | string | number | null | undefined | false | Child[];

export interface Props {
  class?: string | (string | false | null | undefined)[];
  style?: string;
  /** data-* attributes. */
  data?: Record<string, string | number>;
  /** Event handlers: { click: (e) => ... }. */
  on?: { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };
  /** Any other attribute (aria-*, role, href, type, ...); false or null leaves it out. */
  [attr: string]: unknown;
}

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
    return;
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

function apply(el: Element, props: Props | null | undefined): void {
  if (!props) return;
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : String(v));
    else if (k === 'data') for (const [dk, dv] of Object.entries(v as Record<string, unknown>)) el.setAttribute(`data-${dk}`, String(dv));
    else if (k === 'on') for (const [ev, fn] of Object.entries(v as Record<string, EventListener>)) el.addEventListener(ev, fn);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else if (k === 'checked' && 'checked' in el) (el as HTMLInputElement).checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

/** An HTML element: h('button', { class: 'btn', on: { click } }, 'Buy'). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (charts). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Record<string, string | number | undefined> | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

/** Replaces the children of `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A block that shows a loading line, then whatever `load` resolves to (or the error). */
export function async(load: () => Promise<Child>, loading = 'Loading…'): HTMLElement {
  const box = h('div', { class: 'async' }, h('p', { class: 'muted loading' }, loading));
  load().then(
    (c) => replace(box, c),
    (e: unknown) => replace(box, errorBox(e)),
  );
  return box;
}

/** An error as a readable box (the service's code and message). */
export function errorBox(e: unknown): HTMLElement {
  const err = e as { code?: string; message?: string; hint?: string };
  return h('div', { class: 'error-box', role: 'alert' }, h('strong', null, err.code ?? 'Error'), ' ', err.message ?? String(e), err.hint ? h('div', { class: 'muted' }, err.hint) : null);
}
