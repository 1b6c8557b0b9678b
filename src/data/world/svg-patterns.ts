import type { Rng } from '../../core/rng.js';
import type { Pattern } from './vocabulary.js';

/**
 * SVG <pattern> fills for the five fabric patterns, primary colour as the
 * ground and secondary colour as the figure. Periods are a few pixels at
 * 128 px so the pattern reads at the size the encoder sees; period, angle
 * and phase vary a little per product.
 */

/** Formats a coordinate with at most two decimals (short, deterministic SVG text). */
export function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

export function rgb([r, g, b]: readonly [number, number, number]): string {
  return `rgb(${r},${g},${b})`;
}

/** A flower motif: five round petals around a centre, at (x, y). */
function flower(x: number, y: number, r: number, fig: string, ground: string): string {
  const petals = Array.from({ length: 5 }, (_, i) => {
    const a = (i * 2 * Math.PI) / 5;
    return `<circle cx="${num(x + Math.cos(a) * r)}" cy="${num(y + Math.sin(a) * r)}" r="${num(r * 0.8)}" fill="${fig}"/>`;
  }).join('');
  return `${petals}<circle cx="${num(x)}" cy="${num(y)}" r="${num(r * 0.55)}" fill="${ground}"/>`;
}

/** A leaf: a small rotated ellipse. */
function leaf(x: number, y: number, angle: number, fig: string): string {
  return `<ellipse cx="${num(x)}" cy="${num(y)}" rx="3.2" ry="1.4" fill="${fig}" transform="rotate(${num(angle)} ${num(x)} ${num(y)})"/>`;
}

/**
 * The <pattern id="fab"> element for a non-solid pattern; `undefined` for
 * solid (the body is then filled with the primary colour directly).
 */
export function patternDef(pattern: Pattern, ground: string, fig: string, rng: Rng): string | undefined {
  const angleJitter = rng.uniform(-8, 8);
  const open = (w: number, h: number, angle: number): string =>
    `<pattern id="fab" patternUnits="userSpaceOnUse" width="${num(w)}" height="${num(h)}" patternTransform="rotate(${num(angle)}) translate(${num(rng.uniform(0, w))} ${num(rng.uniform(0, h))})"><rect width="${num(w)}" height="${num(h)}" fill="${ground}"/>`;
  switch (pattern) {
    case 'solid':
      return undefined;
    case 'stripes': {
      const p = rng.uniform(7, 10);
      const angle = (rng.bool(0.5) ? 0 : 90) + angleJitter;
      return `${open(p, p, angle)}<rect width="${num(p)}" height="${num(p * 0.45)}" fill="${fig}"/></pattern>`;
    }
    case 'checks': {
      const p = rng.uniform(10, 13);
      const h = p / 2;
      return (
        `${open(p, p, angleJitter)}<rect width="${num(p)}" height="${num(h)}" fill="${fig}" fill-opacity="0.55"/>` +
        `<rect width="${num(h)}" height="${num(p)}" fill="${fig}" fill-opacity="0.55"/></pattern>`
      );
    }
    case 'dots': {
      const p = rng.uniform(8, 10.5);
      const r = p * 0.2;
      const dot = (x: number, y: number): string => `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" fill="${fig}"/>`;
      return `${open(p, p, angleJitter)}${dot(p / 4, p / 4)}${dot((3 * p) / 4, (3 * p) / 4)}</pattern>`;
    }
    case 'print': {
      const p = rng.uniform(17, 21);
      const r = p * 0.11;
      return (
        `${open(p, p, angleJitter * 2)}${flower(p * 0.28, p * 0.3, r, fig, ground)}` +
        `${flower(p * 0.78, p * 0.8, r, fig, ground)}${leaf(p * 0.72, p * 0.28, 35, fig)}${leaf(p * 0.25, p * 0.78, -40, fig)}</pattern>`
      );
    }
  }
}
