import type { PhotoResultDto } from '../../../src/client/index.js';
import { photoInfo, shop, type PhotoInfo } from '../core/api.js';
import { errorBox, h, replace } from '../core/dom.js';
import { fixed, pct } from '../core/format.js';
import type { PageContext } from '../core/router.js';
import { photoDrop } from '../components/photo-drop.js';
import { productCard, productGrid } from '../components/product-card.js';

/**
 * "More like this photo, for me" (paper 002): upload a photo (or start from
 * a product's image with ?item=ID); the service embeds it, finds products
 * that look alike and blends visual similarity with the shopper's taste:
 *   score = w · visual + (1 − w) · preference percentile.
 * Each result shows both parts, so the blend is visible.
 */
type PhotoItem = PhotoResultDto['items'][number];

function scoreBars(it: PhotoItem): HTMLElement {
  const bar = (label: string, v: number | null | undefined, cls: string): HTMLElement =>
    h('div', { class: 'sbar' }, h('span', { class: 'sbar-label' }, label), h('span', { class: ['sbar-track', cls] }, h('span', { style: `width:${Math.round(100 * Math.max(0, Math.min(1, v ?? 0)))}%` })), h('span', { class: 'sbar-value' }, v === null || v === undefined ? '–' : fixed(v, 2)));
  return h('div', { class: 'score-bars', 'data-testid': 'score-parts' }, bar('looks like', it.visual, 'sbar-visual'), bar('your taste', it.preference, 'sbar-pref'), bar('score', it.score, 'sbar-score'));
}

function explain(info: PhotoInfo | undefined, r: PhotoResultDto): string {
  const w = info?.weight;
  if (r.shopperId === null || w === null || w === undefined) return 'Ranked by visual similarity.';
  return `Ranked for ${r.shopperId}: score = ${fixed(w, 2)} × looks-like + ${fixed(1 - w, 2)} × your-taste percentile (${pct(w, 0)} photo, ${pct(1 - w, 0)} history).`;
}

export function render(ctx: PageContext): HTMLElement {
  let info: PhotoInfo | undefined;
  const status = h('p', { class: 'muted', 'data-testid': 'photo-status' }, 'Checking photo search…');
  const preview = h('div', { class: 'photo-preview' });
  const results = h('div', { class: 'photo-results', 'data-testid': 'photo-results' });
  const category = h('select', { 'aria-label': 'Category' }, h('option', { value: '' }, 'all categories'));
  void shop.categories().then(({ categories }) => category.append(...categories.map((c) => h('option', { value: c.name }, c.name))));
  let last: Blob | undefined;

  const search = async (file: Blob, name: string): Promise<void> => {
    last = file;
    const url = URL.createObjectURL(file);
    replace(preview, h('figure', null, h('img', { src: url, alt: 'your photo', on: { load: () => URL.revokeObjectURL(url) } }), h('figcaption', { class: 'muted' }, name)));
    replace(results, h('p', { class: 'muted loading' }, 'Searching…'));
    try {
      const r = await shop.photo(file, { k: 12, mimeType: file.type || 'image/png', filename: name, ...(category.value ? { category: [category.value] } : {}) });
      replace(
        results,
        h('p', { class: 'explain', 'data-testid': 'photo-explain' }, explain(info, r)),
        r.items.length === 0 ? h('p', { class: 'muted' }, 'No products match.') : productGrid(r.items.map((it) => productCard(it, { extra: scoreBars(it) })), 'photo-grid'),
      );
    } catch (e) {
      replace(results, errorBox(e));
    }
  };
  category.addEventListener('change', () => void (last && search(last, 'your photo')));

  const poll = async (): Promise<void> => {
    try {
      info = await photoInfo();
      status.textContent = info.ready ? `Searching ${info.message}.` : `Photo search is getting ready: ${info.message}.`;
      status.classList.toggle('warn', !info.ready);
      if (!info.ready && !ctx.signal.aborted) setTimeout(() => void poll(), 2000);
    } catch (e) {
      replace(status, errorBox(e));
    }
  };
  void poll();

  const item = ctx.query.get('item');
  if (item !== null) {
    void fetch(`/api/items/${encodeURIComponent(item)}/image`).then(async (res) => (res.ok ? search(await res.blob(), `the image of ${item}`) : undefined));
  }

  return h(
    'div',
    { class: 'photo-page' },
    h('div', { class: 'section-head' }, h('div', null, h('h1', null, 'Search by photo'), h('p', { class: 'muted' }, 'Upload a photo of something you like: we find products that look like it, then weigh them by your taste.'))),
    status,
    h('div', { class: 'photo-top' }, photoDrop((f) => void search(f, f.name)), preview, h('label', { class: 'field' }, h('span', null, 'Only in'), category)),
    results,
  );
}
