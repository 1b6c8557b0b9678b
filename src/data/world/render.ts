import sharp from 'sharp';
import { fail } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Attributes } from '../schema.js';
import type { Part, Silhouette } from './silhouette.js';
import { bag, boot, hat, sneaker } from './silhouettes-accessories.js';
import { skirt, trousers } from './silhouettes-bottoms.js';
import { dress, jacket, shirt, tshirt } from './silhouettes-tops.js';
import { num, patternDef, rgb } from './svg-patterns.js';
import { COLOURS, isCategory, isColour, isPattern, shapeFieldsOf, type Category } from './vocabulary.js';

/**
 * Product images: the category's silhouette (shape fields visible), filled
 * with the primary colour and the pattern in the secondary colour, with a
 * small per-product pose (shift, rotation, scale, mirror for side views) and
 * lighting (a gradient of random direction and strength), so that no two
 * products are pixel-identical while category, colour and pattern stay
 * readable. The variation is drawn from (seed, product id), so the same
 * product always renders to the same bytes.
 */

const SILHOUETTES: Readonly<Record<Category, Silhouette>> = {
  't-shirt': tshirt,
  shirt,
  dress,
  skirt,
  trousers,
  jacket,
  sneaker,
  boot,
  bag,
  hat,
};

/** Side views that may face either way. */
const MIRRORABLE: ReadonlySet<Category> = new Set(['sneaker', 'boot', 'hat']);

const INK = 'rgb(34,34,38)';

/** What the renderer needs from a product: any id (it seeds the pose) and the attributes. */
export interface RenderInput {
  id: string;
  category: string;
  attributes: Attributes;
}

export interface RenderOptions {
  /** Mixed with the product id to seed pose and lighting; the world seed in a world. */
  seed?: number;
  /** Output side in pixels (the drawing is scaled, not cropped). */
  size?: number;
}

function partSvg(p: Part, fabric: string, secondary: string): string {
  switch (p.role) {
    case 'body':
      return `<path d="${p.d}" fill="${fabric}" stroke="${INK}" stroke-width="1.4" stroke-linejoin="round"/><path d="${p.d}" fill="url(#lit)"/>`;
    case 'trim':
      return `<path d="${p.d}" fill="${secondary}" stroke="${INK}" stroke-width="1.1" stroke-linejoin="round"/>`;
    case 'trimLine': {
      const w = p.width ?? 2;
      return (
        `<path d="${p.d}" fill="none" stroke="${INK}" stroke-width="${num(w + 1.4)}" stroke-linecap="round" stroke-linejoin="round"/>` +
        `<path d="${p.d}" fill="none" stroke="${secondary}" stroke-width="${num(w)}" stroke-linecap="round" stroke-linejoin="round"/>`
      );
    }
    case 'ink':
      return `<path d="${p.d}" fill="${INK}"/>`;
    case 'inkLine':
      return `<path d="${p.d}" fill="none" stroke="${INK}" stroke-opacity="0.75" stroke-width="${num(p.width ?? 1)}" stroke-linecap="round"/>`;
  }
}

/** A lighting gradient across the canvas: a highlight on one side, a shade on the other. */
function lightingDef(rng: Rng): string {
  const a = rng.uniform(0, 2 * Math.PI);
  const [dx, dy] = [Math.cos(a) * 64, Math.sin(a) * 64];
  const hi = rng.uniform(0.04, 0.28);
  const lo = rng.uniform(0.04, 0.3);
  return (
    `<linearGradient id="lit" gradientUnits="userSpaceOnUse" x1="${num(64 - dx)}" y1="${num(64 - dy)}" x2="${num(64 + dx)}" y2="${num(64 + dy)}">` +
    `<stop offset="0" stop-color="#fff" stop-opacity="${num(hi)}"/><stop offset="0.5" stop-color="#fff" stop-opacity="0"/>` +
    `<stop offset="1" stop-color="#000" stop-opacity="${num(lo)}"/></linearGradient>`
  );
}

/** The shape fields of a product as strings, failing on a missing or unknown one. */
function shapeOf(category: Category, attributes: Attributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of shapeFieldsOf(category)) {
    const v = attributes[field];
    if (typeof v !== 'string') fail('INVALID_ARGUMENT', `a ${category} needs the shape field "${field}"`);
    out[field] = v;
  }
  return out;
}

/** The SVG document for one product, `size` x `size` pixels (default 128). */
export function productSvg(product: RenderInput, opts: RenderOptions = {}): string {
  const { category, attributes: a } = product;
  if (!isCategory(category)) fail('INVALID_ARGUMENT', `cannot draw unknown category "${category}"`);
  if (!isColour(a.primaryColour)) fail('INVALID_ARGUMENT', `cannot draw unknown colour "${String(a.primaryColour)}"`);
  const secondaryName = isColour(a.secondaryColour) ? a.secondaryColour : 'white';
  const pattern = isPattern(a.pattern) ? a.pattern : 'solid';
  const size = opts.size ?? 128;
  const rng = Rng.derive(opts.seed ?? 0, `render:${product.id}`);
  const ground = rgb(COLOURS[a.primaryColour]);
  const secondary = rgb(COLOURS[secondaryName]);
  const pat = patternDef(pattern, ground, secondary, rng);
  const fabric = pat === undefined ? ground : 'url(#fab)';
  const parts = SILHOUETTES[category](shapeOf(category, a));
  const bg = Math.round(rng.uniform(228, 246));
  const tint = Math.round(rng.uniform(-4, 4));
  const flip = MIRRORABLE.has(category) && rng.bool(0.5) ? -1 : 1;
  const s = rng.uniform(0.86, 1.0);
  const sx = s * rng.uniform(0.94, 1.06) * flip;
  const sy = s * rng.uniform(0.94, 1.06);
  const pose =
    `translate(${num(64 + rng.uniform(-5, 5))} ${num(64 + rng.uniform(-5, 5))}) ` +
    `rotate(${num(rng.uniform(-7, 7))}) scale(${num(sx)} ${num(sy)}) translate(-64 -64)`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 128 128">` +
    `<defs>${pat ?? ''}${lightingDef(rng)}</defs>` +
    `<rect width="128" height="128" fill="rgb(${bg + tint},${bg},${bg - tint})"/>` +
    `<g transform="${pose}">${parts.map((p) => partSvg(p, fabric, secondary)).join('')}</g></svg>`
  );
}

/** Renders a product to PNG bytes (deterministic for the same product, seed and size). */
export async function renderProductPng(product: RenderInput, size = 128, opts: Omit<RenderOptions, 'size'> = {}): Promise<Buffer> {
  const svg = productSvg(product, { ...opts, size });
  // The background rect covers the canvas, so alpha is always opaque: drop it (RGB PNG, smaller, what encoders expect).
  return sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}
