/** Linear scales and "nice" ticks for the hand-rolled SVG charts. */
export interface Scale {
  (v: number): number;
  ticks: number[];
  domain: [number, number];
}

/** About `count` round tick values covering [lo, hi] (1, 2, 2.5 or 5 × 10^n apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(12)));
  if (out[out.length - 1]! < hi) out.push(out[out.length - 1]! + step);
  return out;
}

/** Maps [d0, d1] (widened to nice ticks when `nice`) onto [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number, nice = true, count = 5): Scale {
  const ticks = nice ? niceTicks(d0, d1, count) : [d0, d1];
  const lo = nice ? ticks[0]! : d0;
  const hi = nice ? ticks[ticks.length - 1]! : d1;
  const span = hi - lo || 1;
  const s = ((v: number) => r0 + ((v - lo) / span) * (r1 - r0)) as Scale;
  s.ticks = ticks;
  s.domain = [lo, hi];
  return s;
}

/** Colours of series (variants, models), in order. */
export const PALETTE = ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#2563eb', '#65a30d'];

export const colourOf = (i: number): string => PALETTE[i % PALETTE.length]!;
