import type { FeedRequest } from '../../../src/client/index.js';
import { shop } from '../core/api.js';
import { h } from '../core/dom.js';

/**
 * The storefront's filters and the shape of the slate: categories, a price
 * range, and the balance of the feed (paper 000, 3.3: "a balanced number of
 * suggestions": the slate size k, the diversity of the MMR re-ranking and a
 * cap per category, passed straight to the API).
 */
export interface FilterState {
  categories: Set<string>;
  minPrice?: number;
  maxPrice?: number;
  k: number;
  diversity: number;
  maxPerCategory?: number;
}

export const DEFAULT_FILTERS = (): FilterState => ({ categories: new Set(), k: 12, diversity: 0.3, maxPerCategory: 3 });

export function feedRequest(f: FilterState): FeedRequest {
  return {
    k: f.k,
    diversity: f.diversity,
    ...(f.categories.size > 0 ? { category: [...f.categories] } : {}),
    ...(f.minPrice !== undefined ? { minPrice: f.minPrice } : {}),
    ...(f.maxPrice !== undefined ? { maxPrice: f.maxPrice } : {}),
    ...(f.maxPerCategory !== undefined ? { maxPerCategory: f.maxPerCategory } : {}),
  };
}

const optionalNumber = (v: string): number | undefined => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

export function filtersPanel(state: FilterState, onChange: () => void): HTMLElement {
  const cats = h('div', { class: 'chips', 'data-testid': 'category-filter' }, h('span', { class: 'muted' }, 'Loading…'));
  void shop.categories().then(({ categories }) => {
    cats.replaceChildren(
      ...categories.map((c) => {
        const box = h('input', {
          type: 'checkbox',
          value: c.name,
          checked: state.categories.has(c.name),
          on: {
            change: () => {
              if (box.checked) state.categories.add(c.name);
              else state.categories.delete(c.name);
              onChange();
            },
          },
        });
        return h('label', { class: 'chip' }, box, h('span', null, c.name, h('small', null, ` ${c.count}`)));
      }),
    );
  });
  const price = (key: 'minPrice' | 'maxPrice', placeholder: string): HTMLInputElement => {
    const input = h('input', { type: 'number', min: 0, step: 1, placeholder, inputmode: 'decimal', 'aria-label': placeholder, on: { change: () => ((state[key] = optionalNumber(input.value)), onChange()) } });
    return input;
  };
  const k = h('select', { 'aria-label': 'Slate size', on: { change: () => ((state.k = Number(k.value)), onChange()) } }, [8, 12, 16, 24].map((n) => h('option', { value: n, selected: n === state.k }, `${n} products`)));
  const divValue = h('output', null, state.diversity.toFixed(1));
  const div = h('input', {
    type: 'range',
    min: 0,
    max: 1,
    step: 0.1,
    value: state.diversity,
    'aria-label': 'Diversity',
    on: { input: () => (divValue.textContent = Number(div.value).toFixed(1)), change: () => ((state.diversity = Number(div.value)), onChange()) },
  });
  const cap = h(
    'select',
    { 'aria-label': 'At most per category', on: { change: () => ((state.maxPerCategory = cap.value === '' ? undefined : Number(cap.value)), onChange()) } },
    h('option', { value: '', selected: state.maxPerCategory === undefined }, 'no limit'),
    [1, 2, 3, 4, 6].map((n) => h('option', { value: n, selected: n === state.maxPerCategory }, `${n} per category`)),
  );
  return h(
    'aside',
    { class: 'filters', 'aria-label': 'Filters' },
    h('h3', null, 'Categories'),
    cats,
    h('h3', null, 'Price'),
    h('div', { class: 'price-row' }, price('minPrice', 'min €'), h('span', { class: 'muted' }, '–'), price('maxPrice', 'max €')),
    h('h3', null, 'Balance of the feed'),
    h('label', { class: 'field' }, h('span', null, 'Slate size'), k),
    h('label', { class: 'field' }, h('span', null, 'Diversity ', divValue), div),
    h('label', { class: 'field' }, h('span', null, 'At most'), cap),
    h('p', { class: 'muted small' }, 'A balanced slate: enough to choose from, not so many that choosing stalls; diversity re-ranks by maximal marginal relevance.'),
  );
}
