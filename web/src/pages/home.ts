import type { FeedDto } from '../../../src/client/index.js';
import { demo } from '../core/api.js';
import { h } from '../core/dom.js';
import { pct } from '../core/format.js';
import type { PageContext } from '../core/router.js';
import { onSession, session } from '../core/session.js';
import { DEFAULT_FILTERS, feedRequest, filtersPanel } from '../components/filters.js';
import { liveFeed } from '../components/live-feed.js';
import { fitBadge } from '../components/product-card.js';

/**
 * The storefront's home: the shopper's personalised feed, live (it changes
 * as they click and add to cart, here or in another tab), with filters and
 * the balance of the slate beside it. With the hidden taste revealed, each
 * product shows how well it truly fits and the slate its average fit.
 */
export function render(ctx: PageContext): HTMLElement {
  const filters = DEFAULT_FILTERS();
  const fitLine = h('p', { class: 'fit-line', 'data-testid': 'slate-fit' });
  const decorate = (feed: FeedDto, cards: Map<string, HTMLElement>): void => {
    const s = session();
    fitLine.replaceChildren();
    if (!s.showTaste || s.shoppers === null || s.shopperId === null || feed.items.length === 0) return;
    void demo.taste(s.shopperId, feed.items.map((i) => i.itemId)).then((t) => {
      const fits = feed.items.map((i) => t.utility[i.itemId]).filter((x): x is number => x !== undefined);
      for (const [id, card] of cards) {
        const u = t.utility[id];
        if (u !== undefined) card.querySelector('.card-meta')?.after(h('div', { class: 'card-fit' }, fitBadge(u)));
      }
      const mean = fits.reduce((a, b) => a + b, 0) / Math.max(1, fits.length);
      fitLine.replaceChildren('Average fit of this slate to the hidden taste: ', h('strong', null, pct(mean, 0)), h('span', { class: 'muted' }, ' (a random slate would average about 50%)'));
    });
  };
  const feed = liveFeed({ query: () => feedRequest(filters), signal: ctx.signal, testid: 'feed', decorate });
  onSession(() => feed.restart(), ctx.signal);
  return h(
    'div',
    { class: 'shop-layout' },
    filtersPanel(filters, () => feed.restart()),
    h(
      'section',
      { class: 'shop-main' },
      h('div', { class: 'section-head' }, h('div', null, h('h1', null, 'Recommended for you'), h('p', { class: 'muted' }, 'Your feed updates live as you browse: open a product or add one to your cart and watch it change.'))),
      fitLine,
      feed.el,
    ),
  );
}
