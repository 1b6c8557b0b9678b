import type { ItemDto, SimilarDto } from '../../../src/client/index.js';
import { isAvailable } from '../../../src/data/schema.js';
import { demo, serverFeatures, shop } from '../core/api.js';
import { async, h, type Child } from '../core/dom.js';
import { capitalise, money } from '../core/format.js';
import type { PageContext } from '../core/router.js';
import { onSession, session, track } from '../core/session.js';
import { liveFeed } from '../components/live-feed.js';
import { fitBadge, productCard, productGrid } from '../components/product-card.js';
import { toast } from '../components/toast.js';

/**
 * A product: its details, "similar products" (the model's nearest items
 * blended with the products whose photos look most alike)
 * and "you may also like" (the shopper's live feed, without this product).
 * Opening it records a view; the buttons record add-to-cart and purchase,
 * and the "you may also like" row changes as they do.
 */
/** Products per row (the grid shows six across on a desktop). */
const ROW = 6;

function attributes(item: ItemDto): HTMLElement {
  const rows = Object.entries(item.attributes).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', null, capitalise(k.replace(/([A-Z])/g, ' $1').toLowerCase())), h('dd', null, String(v))]));
}

function actions(item: ItemDto, photo: boolean): HTMLElement {
  const act = async (btn: HTMLButtonElement, type: 'add-to-cart' | 'purchase', done: string): Promise<void> => {
    btn.disabled = true;
    try {
      await track(item.id, type, item.price);
      btn.textContent = done;
      toast(type === 'purchase' ? `Bought “${item.title}”: thank you!` : `Added “${item.title}” to the cart`);
    } catch (e) {
      btn.disabled = false;
      toast((e as Error).message, 'error');
    }
  };
  const cart = h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'product-add-to-cart', on: { click: () => void act(cart, 'add-to-cart', 'In your cart ✓') } }, 'Add to cart');
  const buy = h('button', { class: 'btn', type: 'button', 'data-testid': 'buy', on: { click: () => void act(buy, 'purchase', 'Bought ✓') } }, 'Buy now');
  if (!isAvailable(item)) return h('p', { class: 'form-error', 'data-testid': 'unavailable' }, 'Not available at the moment.');
  return h('div', { class: 'actions' }, cart, buy, photo && item.image !== null ? h('a', { class: 'btn btn-ghost', href: `/photo?item=${encodeURIComponent(item.id)}`, 'data-link': true }, 'Search with this image') : null);
}

async function details(item: ItemDto): Promise<Child> {
  const f = await serverFeatures();
  const s = session();
  const fit = h('div', { class: 'product-fit' });
  if (s.showTaste && s.shoppers !== null && s.shopperId !== null) {
    void demo.taste(s.shopperId, [item.id]).then((t) => {
      const u = t.utility[item.id];
      if (u !== undefined) fit.append(fitBadge(u), h('span', { class: 'muted' }, ` for ${t.shopperId}'s hidden taste`));
    });
  }
  return h(
    'div',
    { class: 'product', 'data-testid': 'product' },
    h('div', { class: 'product-media' }, item.image ? h('img', { src: item.image, alt: item.title, width: 128, height: 128 }) : h('div', { class: 'noimage' }, 'no image')),
    h(
      'div',
      { class: 'product-info' },
      h('a', { class: 'tag', href: '/', 'data-link': true }, item.category),
      h('h1', { 'data-testid': 'product-title' }, item.title),
      h('p', { class: 'product-price' }, money(item.price)),
      fit,
      item.caption ? h('p', { class: 'caption' }, item.caption) : null,
      actions(item, f.photo),
      attributes(item),
    ),
  );
}

/** What the similar products were ranked by, from the share the photos had. */
function similarBasis(basis: SimilarDto['basis'], visualWeight: number): string {
  if (basis === 'category') return 'This product is new: the best sellers of its category.';
  if (basis === 'attributes') return 'This product is new: the products closest to it by their attributes and description.';
  if (basis === 'attributes-photos') return `This product is new: the products closest to it by their attributes and description, blended with how alike the photos look (${Math.round(visualWeight * 100)}% photos).`;
  if (visualWeight === 0) return 'Closest to this one in the model’s item space.';
  if (visualWeight === 1) return 'The products whose photos look most like this one.';
  return `Closest in the model’s item space, blended with how alike the photos look (${Math.round(visualWeight * 100)}% photos).`;
}

export async function render(ctx: PageContext): Promise<Child> {
  const id = ctx.params.id!;
  const item = await shop.item(id);
  document.title = `${item.title} · vitrine`;
  void track(id, 'view').catch(() => undefined);
  const similar = async(async () => {
    const r = await shop.similar(id, { k: ROW });
    if (r.items.length === 0) return h('p', { class: 'muted' }, 'No similar products.');
    return h('div', null, h('p', { class: 'muted', 'data-testid': 'similar-basis' }, similarBasis(r.basis, r.visualWeight)), productGrid(r.items.map((it) => productCard(it)), 'similar'));
  }, 'Finding similar products…');
  const also = liveFeed({ query: () => ({ k: ROW, exclude: [id], diversity: 0.3, maxPerCategory: 3 }), signal: ctx.signal, testid: 'also-like' });
  onSession(() => also.restart(), ctx.signal);
  return h(
    'div',
    { class: 'product-page' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/', 'data-link': true }, 'Shop'), ' / ', h('span', { class: 'crumb-cat' }, item.category), ' / ', h('span', { class: 'muted' }, item.id)),
    await details(item),
    h('section', { class: 'row-section' }, h('div', { class: 'section-head' }, h('h2', null, 'Similar products')), similar),
    h('section', { class: 'row-section' }, h('div', { class: 'section-head' }, h('h2', null, 'You may also like'), h('p', { class: 'muted' }, 'Your feed without this product: it changes as you add to cart or buy.')), also.el),
  );
}
