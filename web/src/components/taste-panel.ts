import { demo, type HiddenTaste, type Weighted } from '../core/api.js';
import { errorBox, h, replace } from '../core/dom.js';
import { pct } from '../core/format.js';

/**
 * The demo shopper's hidden taste, revealed on request: what the
 * simulation draws their clicks from and what the recommenders never see.
 * With it on, every product shows its "fit": its rank in this shopper's
 * true utility over the whole catalog, so a visitor can judge a feed.
 */
const CSS_COLOURS: Record<string, string> = { beige: '#d9c7a3', navy: '#1f2a5a', grey: '#8a8f98', khaki: '#b8a76a', olive: '#6b7a3a', cream: '#f2ead3' };

function bars(title: string, items: Weighted[], swatch = false): HTMLElement {
  return h(
    'div',
    { class: 'taste-group' },
    h('h4', null, title),
    h(
      'ul',
      { class: 'wbars' },
      items.map((w) =>
        h(
          'li',
          null,
          h('span', { class: 'wbar-label' }, swatch ? h('i', { class: 'swatch', style: `background:${CSS_COLOURS[w.name] ?? w.name}` }) : null, w.name),
          h('span', { class: 'wbar' }, h('span', { style: `width:${Math.max(2, Math.round(100 * w.weight))}%` })),
          h('span', { class: 'wbar-value' }, pct(w.weight, 0)),
        ),
      ),
    ),
  );
}

const level = (x: number, lo: number, hi: number, words: [string, string, string]): string => (x <= lo ? words[0] : x >= hi ? words[2] : words[1]);

function view(t: HiddenTaste): HTMLElement {
  return h(
    'section',
    { class: 'taste-panel', 'data-testid': 'taste-panel', 'aria-label': 'Hidden taste' },
    h('div', { class: 'taste-head' }, h('span', { class: 'eyebrow' }, 'hidden taste of ', h('span', { class: 'id' }, t.shopperId)), h('p', { class: 'taste-desc' }, `“${t.description}”`)),
    h(
      'div',
      { class: 'taste-grid' },
      bars('Categories', t.categories),
      bars('Colours', t.colours, true),
      bars('Patterns', t.patterns),
      h(
        'div',
        { class: 'taste-group' },
        h('h4', null, 'Habits'),
        h(
          'dl',
          { class: 'facts' },
          h('dt', null, 'Price'),
          h('dd', null, level(t.priceSensitivity, 0.4, 1.2, ['spends freely', 'average', 'price-sensitive'])),
          h('dt', null, 'Trends'),
          h('dd', null, level(t.popularityBias, 0.2, 0.8, ['ignores trends', 'some', 'follows trends'])),
          h('dt', null, 'Shops at'),
          h('dd', null, `${Math.floor(t.activeHours.peak)}:${String(Math.round((t.activeHours.peak % 1) * 60)).padStart(2, '0')} ± ${t.activeHours.spread.toFixed(1)} h`),
        ),
      ),
    ),
  );
}

/** The panel for `shopperId` (loads it). */
export function tastePanel(shopperId: string): HTMLElement {
  const box = h('div', { class: 'taste-slot-inner' }, h('p', { class: 'muted loading' }, 'Revealing the hidden taste…'));
  demo.taste(shopperId).then(
    (t) => replace(box, view(t)),
    (e: unknown) => replace(box, errorBox(e)),
  );
  return box;
}
