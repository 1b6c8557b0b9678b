import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { describeTaste, productAttributesOf, trueUtility, type Taste } from '../../data/world/index.js';
import { topKeys } from '../../data/world/describe-taste.js';
import type { ServeContext } from '../context.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, IdParamsSchema } from '../schemas/common.js';
import { splitList } from './recommendations.js';

/**
 * Demo-only routes, registered only when the server serves the synthetic
 * demo world (the CLI's `vitrine shop` passes the world's hidden tastes; a
 * real shop has none, so this plugin is never there). They let a visitor
 * pick which simulated shopper to be and, on request, see that shopper's
 * hidden taste and how well each recommended product truly fits it, to
 * judge the recommendations against ground truth.
 *
 *   GET /api/demo                        the world (seed, size)
 *   GET /api/demo/shoppers               shoppers to pick from, with demographics and history size
 *   GET /api/demo/shoppers/:id/taste     the hidden taste; ?items=a,b gives each product's
 *                                        percentile in the shopper's true utility over the catalog
 */
export interface DemoWorldInfo {
  world: { seed: number; items: number; shoppers: number; days: number };
  /** Hidden tastes by shopper id (the world's truth/tastes.jsonl). */
  tastes: ReadonlyMap<string, Taste>;
}

const ShoppersQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
const TasteQuery = Type.Object({ items: Type.Optional(Type.String({ description: 'product ids (comma-separated, at most 200)' })) });

/** Sorted true utilities of the whole catalog per shopper, for percentiles (a small cache: the picker shows one shopper at a time). */
class UtilityTable {
  private readonly cache = new Map<string, Float64Array>();

  constructor(
    private readonly ctx: ServeContext,
    private readonly max = 64,
  ) {}

  sorted(shopperId: string, taste: Taste): Float64Array {
    let s = this.cache.get(shopperId);
    if (s === undefined) {
      const all = this.ctx.items.page(0, Math.max(1, this.ctx.items.size)).items;
      s = Float64Array.from(all, (it) => trueUtility(taste, productAttributesOf(it))).sort();
      this.cache.set(shopperId, s);
      if (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value!);
    }
    return s;
  }
}

/** Share of the catalog with a lower true utility than `u` (1: the best fit there is). */
function percentile(sorted: Float64Array, u: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length <= 1 ? 0.5 : lo / (sorted.length - 1);
}

const weights = (w: Readonly<Record<string, number>>, max: number): { name: string; weight: number }[] =>
  topKeys(w, max, 0).map((name) => ({ name, weight: w[name]! }));

/** The taste as the UI shows it. */
function tasteView(taste: Taste): Record<string, unknown> {
  return {
    description: describeTaste(taste),
    categories: weights(taste.categories, 5),
    colours: weights(taste.colours, 5),
    patterns: weights(taste.patterns, 3),
    priceSensitivity: taste.priceSensitivity,
    popularityBias: taste.popularityBias,
    activeHours: taste.activeHours,
  };
}

export function demoPlugin(info: DemoWorldInfo): ServePlugin {
  return {
    name: 'demo',
    register(app, ctx) {
      const utilities = new UtilityTable(ctx);
      const tasteOf = (id: string): Taste => {
        const t = info.tastes.get(id);
        if (t === undefined) fail('UNKNOWN_ID', `shopper "${id}" is not one of the demo world's shoppers`, { hint: 'GET /api/demo/shoppers lists them' });
        return t;
      };

      app.get('/api/demo', { schema: { tags: ['demo'], summary: 'The demo world this server serves (demo shop only)' } }, async () => ({
        world: info.world,
        shoppers: info.tastes.size,
        note: 'a synthetic shop: every shopper has a hidden taste the recommenders never see; the demo routes reveal it so recommendations can be judged',
      }));

      app.get<{ Querystring: Static<typeof ShoppersQuery> }>(
        '/api/demo/shoppers',
        { schema: { tags: ['demo'], summary: 'Demo shoppers to shop as (demographics and history size; demo shop only)', querystring: ShoppersQuery } },
        async (req) => {
          const offset = req.query.offset ?? 0;
          const limit = req.query.limit ?? 40;
          const shoppers = ctx.store
            .listShoppers({ offset, limit })
            .filter((s) => info.tastes.has(s.id))
            .map((s) => ({ id: s.id, ageBand: s.attributes.ageBand ?? null, region: s.attributes.region ?? null, products: ctx.shoppers.get(s.id).strength.size }));
          return { shoppers, total: info.tastes.size, offset, limit };
        },
      );

      app.get<{ Params: Static<typeof IdParamsSchema>; Querystring: Static<typeof TasteQuery> }>(
        '/api/demo/shoppers/:id/taste',
        {
          schema: {
            tags: ['demo'],
            summary: "A demo shopper's hidden taste, and each given product's percentile in their true utility (demo shop only)",
            params: IdParamsSchema,
            querystring: TasteQuery,
            response: { ...errorResponses(400, 404) },
          },
        },
        async (req) => {
          const taste = tasteOf(req.params.id);
          const ids = splitList(req.query.items) ?? [];
          if (ids.length > 200) fail('INVALID_ARGUMENT', `at most 200 products at once, got ${ids.length}`);
          const sorted = utilities.sorted(req.params.id, taste);
          const utility: Record<string, number> = {};
          for (const id of ids) {
            const it = ctx.items.get(id);
            if (it !== undefined) utility[id] = percentile(sorted, trueUtility(taste, productAttributesOf(it)));
          }
          return { shopperId: req.params.id, ...tasteView(taste), utility };
        },
      );
    },
  };
}
