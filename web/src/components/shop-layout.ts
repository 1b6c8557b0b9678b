import { h, replace, type Child } from '../core/dom.js';
import type { Layout } from '../core/router.js';
import { ensureSession, onSession, session, setShowTaste, switchShopper } from '../core/session.js';
import { tastePanel } from './taste-panel.js';
import { toast } from './toast.js';

/**
 * The storefront's frame: the "who am I" bar (in the demo shop: pick a
 * simulated shopper, reveal their hidden taste), the taste panel when it is
 * revealed, then the page.
 */
function shopperBar(signal: AbortSignal): HTMLElement {
  const s = session();
  if (s.shoppers === null) {
    return h('div', { class: 'shopper-bar' }, h('div', { class: 'wrap' }, h('span', null, 'Shopping as ', h('code', null, s.shopperId ?? 'anonymous'), ' · your clicks and cart shape the feed as you go')));
  }
  const select = h(
    'select',
    {
      'data-testid': 'shopper-select',
      'aria-label': 'Demo shopper',
      on: {
        change: () =>
          void switchShopper(select.value).then(
            () => toast(`Now shopping as ${select.value}`),
            (e: unknown) => toast((e as Error).message, 'error'),
          ),
      },
    },
    s.shoppers.map((p) => h('option', { value: p.id, selected: p.id === s.shopperId }, `${p.id} · ${p.ageBand ?? '?'} · ${p.region ?? '?'} · ${p.products} products seen`)),
  );
  if (s.shopperId !== null && !s.shoppers.some((p) => p.id === s.shopperId)) select.prepend(h('option', { value: s.shopperId, selected: true }, s.shopperId));
  const toggle = h('input', { type: 'checkbox', 'data-testid': 'taste-toggle', checked: s.showTaste, on: { change: () => setShowTaste(toggle.checked) } });
  onSession((st) => {
    select.value = st.shopperId ?? '';
    toggle.checked = st.showTaste;
  }, signal);
  return h(
    'div',
    { class: 'shopper-bar' },
    h(
      'div',
      { class: 'wrap' },
      h('label', { class: 'who' }, h('span', { class: 'eyebrow' }, 'Shopping as'), select),
      h('label', { class: 'switch' }, toggle, h('span', { class: 'switch-track', 'aria-hidden': 'true' }), 'Show hidden taste'),
      h('span', { class: 'muted bar-note' }, 'Demo shop: simulated shoppers with hidden tastes the models never see.'),
    ),
  );
}

export const shopLayout: Layout = async (_page, body, ctx) => {
  await ensureSession();
  const slot = h('div', { class: 'taste-slot wrap' });
  let shown: string | null = null;
  const drawTaste = (): void => {
    const s = session();
    const want = s.showTaste && s.shoppers !== null && s.shopperId !== null ? s.shopperId : null;
    if (want === shown) return;
    shown = want;
    replace(slot, want === null ? null : tastePanel(want));
  };
  drawTaste();
  onSession(drawTaste, ctx.signal);
  const content: Child = await body();
  return [shopperBar(ctx.signal), slot, h('main', { class: 'page wrap' }, content)];
};
