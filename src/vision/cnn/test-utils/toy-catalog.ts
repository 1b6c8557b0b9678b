import type { Item } from '../../../data/schema.js';
import type { ImageBatch } from '../../prepare.js';

/**
 * Tiny in-memory catalogs for the CNN encoder's tests: products drawn as a
 * disc or a bar in one of four colours on a light background, with jittered
 * position and size, so category (shape) and colour are learnable.
 */

const COLOURS: Record<string, [number, number, number]> = {
  red: [0.85, 0.1, 0.1],
  blue: [0.15, 0.25, 0.85],
  green: [0.15, 0.65, 0.2],
  yellow: [0.95, 0.85, 0.15],
};

/** A product item with a category and a colour attribute. */
export function toyItem(id: string, category: string, colour: string): Item {
  return { id, title: id, category, attributes: { colour }, caption: '', price: null, image: null, createdAt: null };
}

/** Draws product k (shape, colour, jitter all from k) into `out` at side `size`. */
function draw(out: Float32Array, size: number, shape: string, rgb: [number, number, number], k: number): void {
  const cx = size / 2 + ((k * 7) % 5) - 2;
  const cy = size / 2 + ((k * 3) % 5) - 2;
  const r = size * (0.28 + ((k * 5) % 4) * 0.03);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = shape === 'disc' ? (x - cx) ** 2 + (y - cy) ** 2 <= r * r : Math.abs(x - cx) <= r * 0.35 && Math.abs(y - cy) <= r * 1.3;
      const o = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch++) out[o + ch] = inside ? rgb[ch]! : 0.94;
    }
  }
}

/** `n` toy products of side `size` cycling through 2 shapes x 4 colours. */
export function toyCatalog(n: number, size: number): { images: ImageBatch; items: Item[] } {
  const per = size * size * 3;
  const data = new Float32Array(n * per);
  const names = Object.keys(COLOURS);
  const items = Array.from({ length: n }, (_, k) => {
    const shape = k % 2 === 0 ? 'disc' : 'bar';
    const colour = names[Math.floor(k / 2) % names.length]!;
    draw(data.subarray(k * per, (k + 1) * per), size, shape, COLOURS[colour]!, k);
    return toyItem(`t${k}`, shape, colour);
  });
  return { images: { count: n, size, data }, items };
}
