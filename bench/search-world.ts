import type { ProgressFn } from '../src/core/logger.js';
import { Rng } from '../src/core/rng.js';
import type { Item } from '../src/data/schema.js';
import { drawCatalog, drawProductAttributes, renderProductPng, worldConfig, type RenderInput } from '../src/data/world/index.js';
import { preparedImages, type SearchSet } from './search-data.js';

/**
 * The world half of the search bench. The catalog is the default world's
 * (drawCatalog with the world's seed and config: the same products, ids and
 * images as `vitrine world`, without simulating shoppers). The queries are
 * new products: attributes drawn by the world's own sampler from another
 * seed, ids outside the catalog's ("q000001", ...), rendered with another
 * render seed, so every query has its own shape details, secondary colour,
 * pose and lighting and is pixel-identical to no catalog image. Relevant:
 * the same category, primary colour and pattern (each part alone is also
 * scored, as a diagnostic).
 */

export interface WorldSearchOptions {
  items: number;
  seed: number;
  queries: number;
  /** Seeds the query products' attributes and their render (pose, lighting). */
  querySeed: number;
}

/** Side the world renders its images at (writeWorld's size); prepare.ts scales them to each encoder's input. */
const RENDER_SIZE = 128;
const CHUNK = 16;

/** The relevance key of a world product: category, primary colour and pattern. */
export function worldRelevanceKey(p: RenderInput): string {
  return `${p.category}|${String(p.attributes.primaryColour)}|${String(p.attributes.pattern)}`;
}

function partOf(p: RenderInput, field: 'category' | 'primaryColour' | 'pattern'): string {
  return field === 'category' ? p.category : String(p.attributes[field]);
}

/** New products drawn as the world draws its catalog (attributes only; they are never in the index). */
export function drawQueryProducts(n: number, seed: number): RenderInput[] {
  const rng = Rng.derive(seed, 'search-queries');
  return Array.from({ length: n }, (_, i) => {
    const { category, attributes } = drawProductAttributes(rng);
    return { id: `q${String(i + 1).padStart(6, '0')}`, category, attributes };
  });
}

async function renderAll(products: readonly RenderInput[], seed: number, phase: string, report: ProgressFn): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let s = 0; s < products.length; s += CHUNK) {
    out.push(...(await Promise.all(products.slice(s, s + CHUNK).map((p) => renderProductPng(p, RENDER_SIZE, { seed })))));
    report({ phase, done: Math.min(s + CHUNK, products.length), total: products.length });
  }
  return out;
}

/** The world's catalog and fresh query photos, rendered in memory. */
export async function worldSearchSet(opts: WorldSearchOptions, report: ProgressFn): Promise<SearchSet> {
  const c = worldConfig({ items: opts.items, seed: opts.seed });
  const items: Item[] = drawCatalog(c.items, c.seed, c.startTime, c.days, c.products).items;
  const queries = drawQueryProducts(opts.queries, opts.querySeed);
  const catalogPng = await renderAll(items, c.seed, 'render catalog images', report);
  const queryPng = await renderAll(queries, opts.querySeed, 'render query images', report);
  return {
    name: 'world',
    description:
      `world: default world catalog (seed ${c.seed}, ${c.items} products, rendered ${RENDER_SIZE}px as \`vitrine world\` does); ` +
      `${queries.length} queries = new products drawn by the world's attribute sampler (seed ${opts.querySeed}) and rendered with render seed ${opts.querySeed} (own pose, lighting, shape details), none in the index`,
    catalogItems: items,
    relevances: [
      { name: 'category+colour+pattern', catalog: items.map(worldRelevanceKey), queries: queries.map(worldRelevanceKey) },
      // Each part alone, to show which one a miss comes from.
      ...(['category', 'primaryColour', 'pattern'] as const).map((f) => ({ name: f, catalog: items.map((p) => partOf(p, f)), queries: queries.map((p) => partOf(p, f)) })),
    ],
    ...preparedImages(catalogPng, queryPng),
  };
}
