import type { FeedDto, FeedRequest } from '../../../src/client/index.js';
import { shop } from '../core/api.js';
import { errorBox, h, replace } from '../core/dom.js';
import { time } from '../core/format.js';
import { productCard, productGrid } from './product-card.js';

/**
 * A feed that stays live: it opens the service's server-sent-events stream
 * (GET /api/recommendations/stream), draws each feed it pushes (the first at
 * once, then a new one whenever the shopper's events change it), marks the
 * products that just came in, and reconnects if the stream drops. Changing
 * the filters or the shopper restarts it.
 */
export interface LiveFeedOptions {
  query: () => FeedRequest;
  /** The page's lifetime. */
  signal: AbortSignal;
  testid: string;
  /** Called after each feed is drawn, with its cards by product id (e.g. to add fit badges). */
  decorate?: (feed: FeedDto, cards: Map<string, HTMLElement>) => void;
  empty?: string;
}

export interface LiveFeed {
  el: HTMLElement;
  restart(): void;
  /** The feed on screen. */
  current(): FeedDto | undefined;
}

const SOURCE_LABEL: Record<FeedDto['source'], string> = {
  history: 'from your history, re-ranked live',
  user: "from the model's view of you",
  fallback: 'popular products (no history yet)',
};

export function liveFeed(opts: LiveFeedOptions): LiveFeed {
  const dot = h('span', { class: 'live-dot', 'aria-hidden': 'true' });
  const status = h('span', { class: 'live-text' }, 'connecting…');
  const meta = h('span', { class: 'feed-meta muted' });
  const grid = h('div', { class: 'feed-body' }, h('p', { class: 'muted loading' }, 'Loading recommendations…'));
  const el = h('div', { class: 'live-feed', 'data-testid': opts.testid, data: { updates: 0 } }, h('div', { class: 'feed-status' }, h('span', { class: 'live-pill' }, dot, status), meta), grid);
  let feed: FeedDto | undefined;
  let updates = 0;
  let inner: AbortController | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const draw = (next: FeedDto): void => {
    const first = feed === undefined;
    const before = new Set(feed?.items.map((i) => i.itemId) ?? []);
    const fresh = first ? 0 : next.items.filter((i) => !before.has(i.itemId)).length;
    feed = next;
    updates++;
    el.dataset.updates = String(updates);
    el.dataset.slate = next.items.map((i) => i.itemId).join(',');
    const cards = new Map<string, HTMLElement>();
    for (const it of next.items) cards.set(it.itemId, productCard(it, { fresh: before.size > 0 && !before.has(it.itemId) }));
    replace(grid, next.items.length === 0 ? h('p', { class: 'muted empty' }, opts.empty ?? 'Nothing matches these filters.') : productGrid([...cards.values()], `${opts.testid}-grid`));
    dot.classList.remove('live-dot-off');
    status.textContent = first ? `live · ${time(next.generatedAt)}` : `updated ${time(next.generatedAt)}${fresh > 0 ? ` · ${fresh} new` : ''}`;
    el.classList.remove('feed-flash');
    void el.offsetWidth;
    if (!first) el.classList.add('feed-flash');
    replace(meta, `${next.model}${next.variant !== next.model ? ` (variant ${next.variant})` : ''} · ${SOURCE_LABEL[next.source]}`);
    opts.decorate?.(next, cards);
  };

  const connect = (): void => {
    inner?.abort();
    clearTimeout(retry);
    if (opts.signal.aborted) return;
    const c = new AbortController();
    inner = c;
    const again = (ms: number): void => {
      if (c.signal.aborted || opts.signal.aborted) return;
      dot.classList.add('live-dot-off');
      status.textContent = 'reconnecting…';
      retry = setTimeout(connect, ms);
    };
    shop.streamFeed(opts.query(), draw, c.signal).then(
      () => again(1500),
      (e: unknown) => {
        if (c.signal.aborted) return;
        if (feed === undefined) replace(grid, errorBox(e));
        again(4000);
      },
    );
  };
  opts.signal.addEventListener('abort', () => {
    inner?.abort();
    clearTimeout(retry);
  });
  connect();
  return {
    el,
    restart: () => {
      feed = undefined;
      connect();
    },
    current: () => feed,
  };
}
