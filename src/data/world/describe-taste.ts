import type { Taste } from './taste.js';

/**
 * One-line human summaries of hidden tastes, for the demo that prints what a
 * shopper truly likes beside what the models recommend:
 * "likes dresses and skirts in red/navy, stripes; price-sensitive; evenings".
 */

const PLURALS: Readonly<Record<string, string>> = {
  't-shirt': 't-shirts',
  shirt: 'shirts',
  dress: 'dresses',
  skirt: 'skirts',
  trousers: 'trousers',
  jacket: 'jackets',
  sneaker: 'sneakers',
  boot: 'boots',
  bag: 'bags',
  hat: 'hats',
};

const PATTERN_LABELS: Readonly<Record<string, string>> = {
  solid: 'plain',
  stripes: 'stripes',
  checks: 'checks',
  dots: 'dots',
  print: 'prints',
};

/** The keys with the largest weights: at least one, at most `max`, each with weight >= `min`. */
export function topKeys(weights: Readonly<Record<string, number>>, max: number, min: number): string[] {
  const sorted = Object.entries(weights).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = sorted.filter(([, w], i) => i === 0 || w >= min).slice(0, max);
  return kept.map(([k]) => k);
}

function joinAnd(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function timeOfDay(hour: number): string {
  if (hour >= 5 && hour < 11) return 'mornings';
  if (hour >= 11 && hour < 15) return 'lunchtime';
  if (hour >= 15 && hour < 18) return 'afternoons';
  if (hour >= 18 && hour < 22.5) return 'evenings';
  return 'late nights';
}

/** "likes dresses and skirts in red/navy, stripes; price-sensitive; follows trends; evenings". */
export function describeTaste(taste: Taste): string {
  const cats = topKeys(taste.categories, 3, 0.2).map((c) => PLURALS[c] ?? c);
  const cols = topKeys(taste.colours, 3, 0.15);
  const pats = topKeys(taste.patterns, 2, 0.3).map((p) => PATTERN_LABELS[p] ?? p);
  const parts = [`likes ${joinAnd(cats)} in ${cols.join('/')}, ${pats.join('/')}`];
  if (taste.priceSensitivity >= 1.2) parts.push('price-sensitive');
  else if (taste.priceSensitivity <= 0.4) parts.push('spends freely');
  if (taste.popularityBias >= 0.8) parts.push('follows trends');
  else if (taste.popularityBias <= 0.2) parts.push('ignores trends');
  parts.push(timeOfDay(taste.activeHours.peak));
  return parts.join('; ');
}
