import type { ItemImageResultDto } from '../../../src/client/index.js';
import { isAvailable } from '../../../src/data/schema.js';
import { seller, shop } from '../core/api.js';
import { errorBox, h, replace, type Child } from '../core/dom.js';
import { photoDrop } from '../components/photo-drop.js';
import { productCard, productGrid } from '../components/product-card.js';
import { toast } from '../components/toast.js';

/**
 * A seller adds a product (or updates one by its id) and sets its photo:
 * POST /api/items, then PUT /api/items/:id/image. POST replaces the whole
 * product, so typing the id of an existing one fills the form with it and
 * its attributes (which the form does not show) are sent back unchanged. The photo is checked by
 * the service (a corrupt or oversized file is refused, nothing stored) and
 * embedded into the photo-search index at once, so the page shows the
 * catalog products that look like it (the product page's "similar" with
 * the photos alone). The seller studio's pages join this area later.
 */
function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', null, label), control, hint === undefined ? null : h('span', { class: 'muted small' }, hint));
}

function photoLine(img: ItemImageResultDto | null): string {
  if (img === null) return 'No photo: it can be set later by saving the product again with one.';
  const where = img.indexed ? 'in photo search now' : 'photo search is not ready yet: its index build will add it';
  return `Photo ${img.width}×${img.height} ${img.format.toUpperCase()}, ${where}.`;
}

export async function render(): Promise<Child> {
  const api = seller()!;
  await api.whoami(); // a revoked key sends the visitor back to the sign-in
  const { categories } = await shop.categories();
  const id = h('input', { type: 'text', name: 'id', required: true, maxlength: 256, placeholder: 'e.g. sku-1042', 'data-testid': 'seller-id' });
  const title = h('input', { type: 'text', name: 'title', required: true, maxlength: 1000, 'data-testid': 'seller-title' });
  const category = h('input', { type: 'text', name: 'category', required: true, maxlength: 200, list: 'seller-categories', 'data-testid': 'seller-category' });
  const list = h('datalist', { id: 'seller-categories' }, categories.map((c) => h('option', { value: c.name })));
  const price = h('input', { name: 'price', type: 'number', min: '0', step: '0.01', 'data-testid': 'seller-price' });
  const caption = h('textarea', { name: 'caption', rows: 3, maxlength: 10000, 'data-testid': 'seller-caption' });
  const available = h('input', { type: 'checkbox', name: 'available', checked: true, 'data-testid': 'seller-available' });
  const preview = h('div', { class: 'photo-preview' });
  const result = h('div', { 'data-testid': 'seller-result' });
  const existing = h('p', { class: 'muted small', 'data-testid': 'seller-existing' });
  let attributes: Record<string, string | number> = {};
  let photo: File | undefined;
  const load = async (): Promise<void> => {
    attributes = {};
    existing.textContent = '';
    const itemId = id.value.trim();
    if (itemId === '') return;
    const it = await shop.item(itemId).catch(() => undefined);
    if (it === undefined || id.value.trim() !== itemId) return;
    title.value = it.title;
    category.value = it.category;
    price.value = it.price === null ? '' : String(it.price);
    caption.value = it.caption;
    attributes = it.attributes;
    available.checked = isAvailable(it);
    existing.textContent = `Updating ${itemId}${it.image === null ? '' : ' (it has a photo: choose one only to replace it)'}.`;
  };
  id.addEventListener('change', () => void load());
  const pick = (f: File): void => {
    photo = f;
    const url = URL.createObjectURL(f);
    replace(preview, h('figure', null, h('img', { src: url, alt: 'the product photo', on: { load: () => URL.revokeObjectURL(url) } }), h('figcaption', { class: 'muted' }, f.name)));
  };

  const save = async (): Promise<void> => {
    const itemId = id.value.trim();
    replace(result, h('p', { class: 'muted loading' }, 'Saving…'));
    try {
      // Unavailable products are never recommended (attribute "available": schema.ts isAvailable).
      const attrs = available.checked ? ('available' in attributes ? { ...attributes, available: 'yes' } : attributes) : { ...attributes, available: 'no' };
      const saved = await api.upsertItems({ id: itemId, title: title.value.trim(), category: category.value.trim(), caption: caption.value.trim(), price: price.value === '' ? null : Number(price.value), attributes: attrs });
      const img = photo === undefined ? null : await api.putItemImage(itemId, photo, photo.type || 'image/png');
      const looks = img?.indexed === true ? (await shop.similar(itemId, { k: 6, visual: 1 })).items : [];
      toast(`${saved.added > 0 ? 'Added' : 'Updated'} ${itemId}`);
      replace(
        result,
        h(
          'section',
          { class: 'panel stack' },
          h('h2', null, `${saved.added > 0 ? 'Added' : 'Updated'} “${title.value.trim()}”`),
          h('p', { 'data-testid': 'seller-photo-status' }, photoLine(img), ' ', h('a', { href: `/product/${encodeURIComponent(itemId)}`, 'data-link': true }, 'Open it in the shop')),
          h('p', { class: 'muted small' }, 'The personalised feeds rank it once the model is trained again (Dashboard → Jobs, or the server’s --retrain-every).'),
          looks.length === 0 ? null : h('div', null, h('h3', null, 'Looks like'), productGrid(looks.map((it) => productCard(it, { cart: false })), 'seller-looks')),
        ),
      );
    } catch (e) {
      replace(result, errorBox(e));
    }
  };

  return h(
    'div',
    { class: 'stack' },
    h('p', { class: 'muted' }, 'Add a product, or update one by its id, with its photo (PNG, JPEG or WebP).'),
    h(
      'form',
      { class: 'panel seller-form', on: { submit: (e) => (e.preventDefault(), void save()) } },
      existing,
      h('div', { class: 'form-grid' }, field('Product id', id), field('Title', title), field('Category', category, 'an existing one or a new one'), list, field('Price', price)),
      field('Description', caption),
      h('label', { class: 'check' }, available, h('span', null, 'Available: shown in recommendations (untick when sold out)')),
      h('div', { class: 'photo-top' }, photoDrop(pick), preview),
      h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'seller-save' }, 'Save product'),
    ),
    result,
  );
}
