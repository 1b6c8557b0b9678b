import { Rng } from '../../core/rng.js';
import type { Shopper } from '../schema.js';
import { AGE_BANDS, AGE_SHARES, REGIONS, REGION_SHARES } from './demographics.js';
import { DEFAULT_TASTE_CONFIG, drawTaste, type Taste, type TasteConfig } from './taste.js';

/** The shoppers (what models may read) and, aligned with them, their hidden tastes (what they may not). */
export interface Population {
  shoppers: Shopper[];
  tastes: Taste[];
}

/** Share of shoppers who sign up during the simulated days; the rest are already customers at day 0. */
export const NEW_SHOPPER_SHARE = 0.25;

const DAY_MS = 86_400_000;

/** Shopper id of the i-th shopper (0-based): s00001, s00002, ... */
export function shopperId(i: number): string {
  return `s${String(i + 1).padStart(5, '0')}`;
}

/**
 * Draws `n` shoppers: age band and region (public attributes), a sign-up
 * time, and a hidden taste tilted by the demographics. Each shopper has its
 * own random stream, so shopper i is the same in a world of any size.
 */
export function drawPopulation(
  n: number,
  seed: number,
  startTime: number,
  days: number,
  tasteConfig: TasteConfig = DEFAULT_TASTE_CONFIG,
): Population {
  const shoppers: Shopper[] = [];
  const tastes: Taste[] = [];
  for (let i = 0; i < n; i++) {
    const id = shopperId(i);
    const rng = Rng.derive(seed, `shopper:${id}`);
    const ageBand = AGE_BANDS[rng.weightedIndex(AGE_SHARES)]!;
    const region = REGIONS[rng.weightedIndex(REGION_SHARES)]!;
    const createdAt = rng.bool(NEW_SHOPPER_SHARE)
      ? startTime + Math.floor(rng.uniform(0, days * DAY_MS))
      : startTime - Math.floor(rng.uniform(1, 720 * DAY_MS));
    shoppers.push({ id, attributes: { ageBand, region }, createdAt });
    tastes.push(drawTaste(rng, { ageBand, region }, tasteConfig));
  }
  return { shoppers, tastes };
}
