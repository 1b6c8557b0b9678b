import type { Category, Colour, Pattern } from './vocabulary.js';

/**
 * Demographics of the simulated shoppers and how they tilt hidden tastes, so
 * that age band and region carry real (but partial) signal about what a new
 * shopper will like: a cold-start model that reads demographics can beat
 * popularity, without demographics determining taste.
 */

export const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const REGIONS = ['north', 'south', 'east', 'west', 'capital'] as const;
export type Region = (typeof REGIONS)[number];

/** Share of shoppers per age band and per region. */
export const AGE_SHARES: readonly number[] = [0.2, 0.28, 0.22, 0.16, 0.14];
export const REGION_SHARES: readonly number[] = [0.2, 0.2, 0.18, 0.17, 0.25];

export interface Tilt {
  categories?: Partial<Record<Category, number>>;
  colours?: Partial<Record<Colour, number>>;
  patterns?: Partial<Record<Pattern, number>>;
  /** Added to the price sensitivity (young shoppers mind prices more). */
  priceSensitivity?: number;
  /** Added to the popularity bias (young shoppers follow trends more). */
  popularityBias?: number;
  /** Hours added to the active-hours peak (regions in other time zones). */
  hourShift?: number;
}

/** Multiplicative tilts of the Dirichlet prior per age band (1 = no tilt). */
export const AGE_TILTS: Readonly<Record<AgeBand, Tilt>> = {
  '18-24': { categories: { 't-shirt': 2.2, sneaker: 2.2, hat: 1.6, skirt: 1.3 }, patterns: { print: 1.6, dots: 1.4 }, priceSensitivity: 0.4, popularityBias: 0.3 },
  '25-34': { categories: { dress: 1.8, sneaker: 1.5, bag: 1.4, 't-shirt': 1.2 }, patterns: { stripes: 1.4 }, priceSensitivity: 0.15, popularityBias: 0.15 },
  '35-44': { categories: { shirt: 1.8, trousers: 1.6, jacket: 1.5, dress: 1.2 }, patterns: { checks: 1.5 }, priceSensitivity: 0 },
  '45-54': { categories: { jacket: 1.7, boot: 1.7, bag: 1.6, shirt: 1.3 }, patterns: { solid: 1.5 }, priceSensitivity: -0.15, popularityBias: -0.1 },
  '55+': { categories: { trousers: 1.9, shirt: 1.6, hat: 1.5, boot: 1.4 }, patterns: { solid: 1.8, checks: 1.3 }, priceSensitivity: -0.2, popularityBias: -0.2 },
};

/** Multiplicative tilts of the colour prior per region, and time-zone shifts. */
export const REGION_TILTS: Readonly<Record<Region, Tilt>> = {
  north: { colours: { black: 2, grey: 2, navy: 2, white: 1.3 }, hourShift: 0 },
  south: { colours: { yellow: 2, orange: 2, red: 1.8, pink: 1.8 }, hourShift: 1 },
  east: { colours: { purple: 2, red: 1.7, green: 1.7 }, hourShift: 2 },
  west: { colours: { blue: 2, brown: 2, green: 1.7 }, hourShift: -1 },
  capital: { colours: { black: 1.8, white: 1.8, grey: 1.5 }, patterns: { solid: 1.3 }, hourShift: 0 },
};
