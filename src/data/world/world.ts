import { throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { EVENT_TYPES, type Item, type Shopper, type ShopEvent } from '../schema.js';
import { encodeItems } from './compiled-utility.js';
import type { WorldEventLog } from './event-log.js';
import { simulateEvents } from './events.js';
import { drawCatalog } from './products.js';
import { drawPopulation } from './shoppers.js';
import type { Taste } from './taste.js';
import { worldConfig, type WorldConfig, type WorldConfigInput } from './world-config.js';

/**
 * A generated shop in memory. `items`, `shoppers` and `events` are what
 * models may read (after import); `tastes` and `appeal` are the hidden truth.
 */
export interface World {
  config: Readonly<WorldConfig>;
  /** Products in arrival order (ids p000001, ... ascend with createdAt). */
  items: Item[];
  shoppers: Shopper[];
  /** tastes[shopperIdx]: the hidden taste of shoppers[shopperIdx]. */
  tastes: Taste[];
  /** appeal[itemIdx]: the hidden, log-normal popularity of items[itemIdx]. */
  appeal: Float64Array;
  /** Events as columns, in time order; `worldEvent`/`worldEvents` give ShopEvent records. */
  events: WorldEventLog;
}

export interface GenerateOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

/**
 * Generates a world: catalog, shoppers with hidden tastes, and the simulated
 * events. Deterministic for a config (same seed and sizes: same world).
 * Throws VitrineError INVALID_ARGUMENT for a bad config, ABORTED on `signal`.
 */
export async function generateWorld(config: WorldConfigInput = {}, opts: GenerateOptions = {}): Promise<World> {
  const c = worldConfig(config);
  const report = opts.onProgress ?? (() => undefined);
  report({ phase: 'draw products', done: 0, total: c.items });
  const { items, appeal } = drawCatalog(c.items, c.seed, c.startTime, c.days, c.products);
  report({ phase: 'draw products', done: c.items, total: c.items });
  throwIfAborted(opts.signal);
  report({ phase: 'draw shoppers', done: 0, total: c.shoppers });
  const { shoppers, tastes } = drawPopulation(c.shoppers, c.seed, c.startTime, c.days, c.tastes);
  report({ phase: 'draw shoppers', done: c.shoppers, total: c.shoppers });
  throwIfAborted(opts.signal);
  const events = await simulateEvents(
    {
      seed: c.seed,
      startTime: c.startTime,
      days: c.days,
      codes: encodeItems(items),
      appeal,
      createdAt: Float64Array.from(items, (it) => it.createdAt ?? c.startTime),
      prices: Float64Array.from(items, (it) => it.price ?? 0),
      shoppers,
      tastes,
      config: c.events,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    },
    opts.signal,
  );
  return { config: c, items, shoppers, tastes, appeal, events };
}

/** The stable key of event row `row` (0-based, time order) of a world with `seed`: "w7:1", "w7:2", ... */
export function eventKey(seed: number, row: number): string {
  return `w${seed}:${row + 1}`;
}

/** Row `row` of the event log as a ShopEvent record. */
export function worldEvent(world: World, row: number): ShopEvent {
  const e = world.events;
  if (!(row >= 0 && row < e.n)) throw new RangeError(`event row ${row} out of range (${e.n} events)`);
  const shopperId = world.shoppers[e.shopper[row]!]!.id;
  return {
    key: eventKey(world.config.seed, row),
    shopperId,
    itemId: world.items[e.item[row]!]!.id,
    type: EVENT_TYPES[e.type[row]!]!,
    ts: e.ts[row]!,
    value: 1,
    price: Math.round(e.price[row]! * 100) / 100,
    sessionId: `${shopperId}-${e.session[row]!}`,
  };
}

/** Every event as a ShopEvent record, in time order (fine for the demo sizes; iterate `worldEvent` for a million). */
export function worldEvents(world: World): ShopEvent[] {
  return Array.from({ length: world.events.n }, (_, row) => worldEvent(world, row));
}

/** Event counts per type: { view, click, cart, purchase }. */
export function eventTypeCounts(log: WorldEventLog): Record<string, number> {
  const counts: Record<string, number> = { view: 0, click: 0, cart: 0, purchase: 0 };
  for (let k = 0; k < log.n; k++) {
    const t = EVENT_TYPES[log.type[k]!]!;
    counts[t] = (counts[t] ?? 0) + 1;
  }
  return counts;
}
