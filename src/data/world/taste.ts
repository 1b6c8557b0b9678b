import type { Rng } from '../../core/rng.js';
import { AGE_TILTS, REGION_TILTS, type AgeBand, type Region, type Tilt } from './demographics.js';
import { CATEGORIES, COLOUR_NAMES, PATTERNS, SHAPE_FIELD_NAMES, SHAPE_FIELDS } from './vocabulary.js';

/**
 * A shopper's hidden taste: the ground truth the event simulation draws from
 * and that later work scores recommendations and generated designs against.
 * Models never read it; it is written apart (truth/tastes.jsonl).
 *
 * Preferences are distributions (each group sums to 1) drawn from Dirichlet
 * priors with small concentration, so each shopper clearly prefers a few
 * categories, colours and patterns (Dirichlet with alpha < 1 per outcome puts
 * most mass on few outcomes), tilted by demographics.
 */
export interface Taste {
  /** Category -> weight, summing to 1. */
  categories: Record<string, number>;
  /** Colour -> weight, summing to 1 (used for the primary and, more weakly, the secondary colour). */
  colours: Record<string, number>;
  /** Pattern -> weight, summing to 1. */
  patterns: Record<string, number>;
  /** Shape field -> value -> weight, summing to 1 per field. */
  shapes: Record<string, Record<string, number>>;
  /** Weight of a product's (standardised log) popularity in the click score, 0..1.5. */
  popularityBias: number;
  /** Utility lost per unit of log(price / category reference price), 0..2.5. */
  priceSensitivity: number;
  /** Sessions start around `peak` (hour of day, 0-24, shop time) with a normal spread of `spread` hours. */
  activeHours: { peak: number; spread: number };
  /** Expected sessions per day. */
  activity: number;
}

export interface TasteConfig {
  /** Sum of the Dirichlet parameters per group: smaller means sparser, more decided tastes. */
  categoryConcentration: number;
  colourConcentration: number;
  patternConcentration: number;
  /** Dirichlet parameter per shape value. */
  shapeAlpha: number;
  /** Mean sessions per day across shoppers (log-normal spread around it). */
  sessionsPerDay: number;
  /** Sigma of log activity: a few heavy shoppers, many light ones. */
  activitySigma: number;
}

export const DEFAULT_TASTE_CONFIG: Readonly<TasteConfig> = Object.freeze({
  categoryConcentration: 2.5,
  colourConcentration: 3,
  patternConcentration: 2,
  shapeAlpha: 0.6,
  sessionsPerDay: 0.17,
  activitySigma: 0.9,
});

/** Dirichlet with per-outcome alpha_i = concentration * prior_i / sum(prior), via normalised Gamma draws. */
function dirichlet(rng: Rng, keys: readonly string[], concentration: number, tilt: Readonly<Record<string, number>> = {}): Record<string, number> {
  const prior = keys.map((k) => tilt[k] ?? 1);
  const total = prior.reduce((a, b) => a + b, 0);
  const g = prior.map((p) => Math.max(rng.gamma((concentration * p) / total), 1e-12));
  const sum = g.reduce((a, b) => a + b, 0);
  return Object.fromEntries(keys.map((k, i) => [k, g[i]! / sum]));
}

/** Multiplies two tilt maps (age band x region). */
function mergeTilt(a: Readonly<Record<string, number>> = {}, b: Readonly<Record<string, number>> = {}): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 1) * v;
  return out;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Hours when people shop: morning, lunch, evening (the busiest) and late night. */
const HOUR_MODES = [8, 12.5, 20, 23] as const;
const HOUR_SHARES = [0.2, 0.25, 0.45, 0.1] as const;

/** Draws the hidden taste of a shopper with the given demographics. */
export function drawTaste(rng: Rng, demo: { ageBand: AgeBand; region: Region }, config: TasteConfig = DEFAULT_TASTE_CONFIG): Taste {
  const age: Tilt = AGE_TILTS[demo.ageBand];
  const region: Tilt = REGION_TILTS[demo.region];
  const shapes: Record<string, Record<string, number>> = {};
  for (const f of SHAPE_FIELD_NAMES) shapes[f] = dirichlet(rng, SHAPE_FIELDS[f], config.shapeAlpha * SHAPE_FIELDS[f].length);
  const mode = HOUR_MODES[rng.weightedIndex(HOUR_SHARES)]!;
  const peak = (((mode + (region.hourShift ?? 0) + rng.normal(0, 1)) % 24) + 24) % 24;
  const muLog = Math.log(config.sessionsPerDay) - (config.activitySigma * config.activitySigma) / 2;
  return {
    categories: dirichlet(rng, CATEGORIES, config.categoryConcentration, mergeTilt(age.categories, region.categories)),
    colours: dirichlet(rng, COLOUR_NAMES, config.colourConcentration, mergeTilt(age.colours, region.colours)),
    patterns: dirichlet(rng, PATTERNS, config.patternConcentration, mergeTilt(age.patterns, region.patterns)),
    shapes,
    popularityBias: clamp(rng.normal(0.5, 0.3) + (age.popularityBias ?? 0), 0, 1.5),
    priceSensitivity: clamp(rng.normal(0.8, 0.45) + (age.priceSensitivity ?? 0), 0, 2.5),
    activeHours: { peak: Math.round(peak * 100) / 100, spread: Math.round(rng.uniform(1, 3) * 100) / 100 },
    activity: Math.exp(muLog + config.activitySigma * rng.normal()),
  };
}
