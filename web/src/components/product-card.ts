import type { FeedItemDto } from '../../../src/client/index.js';
import { h, type Child } from '../core/dom.js';
import { money, pct } from '../core/format.js';
import { track } from '../core/session.js';
import { toast } from './toast.js';

/**
 * One product in a grid: image, title, category and price; opening it
 * records a click, "Add to cart" records an add-to-cart. Both feed the
 * shopper's live feed. `fit` (demo: the product's percentile in the
 * shopper's hidden utility) adds a badge; `extra` adds lines under the
 * price (e.g. the two parts of a photo match's score).
 */
export interface CardOptions {
  fit?: number | undefined;
  /** Marks a product that just entered the feed. */
  fresh?: boolean;
  extra?: Child;
  /** Show the add-to-cart button (default true). */
  cart?: boolean;
}

export function fitBadge(fit: number): HTMLElement {
  const level = fit >= 0.9 ? 'great' : fit >= 0.7 ? 'good' : fit >= 0.4 ? 'fair' : 'poor';
  return h('span', { class: ['fit', `fit-${level}`], title: "The product's rank in this shopper's hidden taste: better than this share of the catalog", 'data-testid': 'fit' }, `fit ${pct(fit, 0)}`);
}

export function productCard(item: FeedItemDto, opts: CardOptions = {}): HTMLElement {
  const href = `/product/${encodeURIComponent(item.itemId)}`;
  const open = (): void => void track(item.itemId, 'click').catch(() => undefined);
  const addToCart = async (e: Event): Promise<void> => {
    const btn = e.currentTarget as HTMLButtonElement;
    btn.disabled = true;
    try {
      await track(item.itemId, 'add-to-cart', item.price);
      btn.textContent = 'In cart ✓';
      toast(`Added “${item.title}” to the cart: your feed is updating`);
    } catch (err) {
      btn.disabled = false;
      toast(`Could not add to cart: ${(err as Error).message}`, 'error');
    }
  };
  return h(
    'article',
    { class: ['card', opts.fresh && 'card-fresh'], 'data-testid': 'product-card', data: { item: item.itemId } },
    h(
      'a',
      { class: 'card-media', href, 'data-link': true, on: { click: open }, tabindex: '-1', 'aria-hidden': 'true' },
      item.image ? h('img', { src: item.image, alt: '', loading: 'lazy', width: 128, height: 128 }) : h('div', { class: 'noimage' }, 'no image'),
      opts.fresh
        ? h('span', { class: 'ribbon' }, 'new for you')
        : item.newArrival === true
          ? h('span', { class: 'ribbon', title: newArrivalTitle(item.match) }, 'new arrival')
          : item.explored
            ? h('span', { class: 'ribbon ribbon-muted', title: 'shown to learn what you think of it (exploration)' }, 'discover')
            : null,
    ),
    h(
      'div',
      { class: 'card-body' },
      h('a', { class: 'card-title', href, 'data-link': true, on: { click: open } }, item.title),
      h('div', { class: 'card-meta' }, h('span', { class: 'tag' }, item.category), h('span', { class: 'price' }, money(item.price))),
      opts.fit !== undefined ? h('div', { class: 'card-fit' }, fitBadge(opts.fit)) : null,
      opts.extra ?? null,
      opts.cart === false ? null : h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'add-to-cart', on: { click: (e) => void addToCart(e) } }, 'Add to cart'),
    ),
  );
}

/** A grid of cards. */
export function productGrid(cards: HTMLElement[], testid: string): HTMLElement {
  return h('div', { class: 'grid', 'data-testid': testid }, cards);
}

/** The new-arrival ribbon's tooltip: how it was picked (by taste, with the match, when the model could tell). */
function newArrivalTitle(match: number | undefined): string {
  const why = 'just added to the shop: shown to learn who likes it (exploration)';
  return match === undefined ? why : `${why}; picked for how its attributes and description fit your history (${Math.round(match * 100)}% match)`;
}
