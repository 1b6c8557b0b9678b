import { fail } from '../../core/errors.js';
import { DEFAULT_EVENT_CONFIG, type EventConfig } from './events.js';
import { DEFAULT_PRODUCT_CONFIG, type ProductConfig } from './products.js';
import { DEFAULT_TASTE_CONFIG, type TasteConfig } from './taste.js';

/**
 * The size and seed of a synthetic shop, plus the generator's knobs. Typed,
 * frozen and validated once (conventions.md #3); the defaults are the demo
 * world (`vitrine world` with no options).
 */
export interface WorldConfig {
  /** Number of products. */
  items: number;
  /** Number of shoppers. */
  shoppers: number;
  /** Simulated days of events. */
  days: number;
  seed: number;
  /** Unix ms of day 0 (fixed, so output does not depend on the clock). */
  startTime: number;
  products: ProductConfig;
  tastes: TasteConfig;
  events: EventConfig;
}

/** What callers pass: any subset, with each generator group also partial (merged over its defaults). */
export type WorldConfigInput = Partial<Omit<WorldConfig, 'products' | 'tastes' | 'events'>> & {
  products?: Partial<ProductConfig>;
  tastes?: Partial<TasteConfig>;
  events?: Partial<EventConfig>;
};

export const DEFAULT_START_TIME = Date.UTC(2026, 0, 1);

export const DEFAULT_WORLD_CONFIG: Readonly<WorldConfig> = Object.freeze({
  items: 2000,
  shoppers: 1000,
  days: 60,
  seed: 7,
  startTime: DEFAULT_START_TIME,
  products: DEFAULT_PRODUCT_CONFIG,
  tastes: DEFAULT_TASTE_CONFIG,
  events: DEFAULT_EVENT_CONFIG,
});

/** Upper bounds that keep a mistyped size from filling the disk. */
export const WORLD_LIMITS = Object.freeze({ items: 2_000_000, shoppers: 2_000_000, days: 3650 });

function checkCount(name: 'items' | 'shoppers' | 'days', value: unknown): void {
  const max = WORLD_LIMITS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    fail('INVALID_ARGUMENT', `world ${name} must be an integer from 1 to ${max}, got ${String(value)}`, {
      hint: `e.g. vitrine world --${name} ${DEFAULT_WORLD_CONFIG[name]}`,
    });
  }
}

/** Fills defaults, validates, and freezes. Throws VitrineError INVALID_ARGUMENT on a bad size, seed or start time. */
export function worldConfig(partial: WorldConfigInput = {}): Readonly<WorldConfig> {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as WorldConfigInput;
  const c: WorldConfig = {
    ...DEFAULT_WORLD_CONFIG,
    ...defined,
    products: Object.freeze({ ...DEFAULT_PRODUCT_CONFIG, ...defined.products }),
    tastes: Object.freeze({ ...DEFAULT_TASTE_CONFIG, ...defined.tastes }),
    events: Object.freeze({ ...DEFAULT_EVENT_CONFIG, ...defined.events }),
  };
  checkCount('items', c.items);
  checkCount('shoppers', c.shoppers);
  checkCount('days', c.days);
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) {
    fail('INVALID_ARGUMENT', `world seed must be an integer from 0 to 4294967295, got ${String(c.seed)}`);
  }
  if (!Number.isFinite(c.startTime)) fail('INVALID_ARGUMENT', `world startTime must be a unix time in ms, got ${String(c.startTime)}`);
  if (!(c.tastes.sessionsPerDay > 0)) fail('INVALID_ARGUMENT', 'tastes.sessionsPerDay must be positive');
  return Object.freeze(c);
}
