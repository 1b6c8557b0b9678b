import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { emptyReport } from '../../data/schema.js';
import { requireRole } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, IdParamsSchema, PageQuerySchema, security } from '../schemas/common.js';
import { ShopperInputSchema, StoredEventSchema } from '../schemas/catalog.js';

/**
 * Shoppers: reading them is for admins (they are personal data); writers
 * may add or update them (events name shoppers anyway, so a shopper row is
 * optional).
 */
const ShoppersBody = Type.Union([ShopperInputSchema, Type.Array(ShopperInputSchema, { minItems: 1, maxItems: 10_000 })]);
const EventsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) });

export const shoppersPlugin: ServePlugin = {
  name: 'shoppers',
  register(app, ctx) {
    app.get<{ Querystring: Static<typeof PageQuerySchema> }>(
      '/api/shoppers',
      { onRequest: requireRole(ctx, 'admin'), schema: { tags: ['shoppers'], summary: 'Shoppers, a page at a time', ...security('admin'), querystring: PageQuerySchema } },
      async (req) => {
        const offset = req.query.offset ?? 0;
        const limit = req.query.limit ?? 50;
        return { shoppers: ctx.store.listShoppers({ offset, limit }), offset, limit };
      },
    );

    app.get<{ Params: Static<typeof IdParamsSchema> }>(
      '/api/shoppers/:id',
      { onRequest: requireRole(ctx, 'admin'), schema: { tags: ['shoppers'], summary: 'One shopper and their interaction count', ...security('admin'), params: IdParamsSchema, response: { ...errorResponses(401, 403, 404) } } },
      async (req) => {
        const shopper = ctx.store.getShopper(req.params.id);
        await ctx.shoppers.prefetch(req.params.id);
        const state = ctx.shoppers.get(req.params.id);
        if (shopper === undefined && !state.known) fail('UNKNOWN_ID', `unknown shopper "${req.params.id}"`);
        return { shopper: shopper ?? { id: req.params.id, attributes: {}, createdAt: null }, products: state.strength.size, sessionEvents: state.recent.length };
      },
    );

    app.get<{ Params: Static<typeof IdParamsSchema>; Querystring: Static<typeof EventsQuery> }>(
      '/api/shoppers/:id/events',
      {
        onRequest: requireRole(ctx, 'admin'),
        schema: { tags: ['shoppers'], summary: "A shopper's events, newest last", ...security('admin'), params: IdParamsSchema, querystring: EventsQuery, response: { 200: Type.Object({ events: Type.Array(StoredEventSchema) }), ...errorResponses(401, 403, 404) } },
      },
      async (req) => {
        const events = ctx.store.eventsOf(req.params.id);
        if (events.length === 0 && ctx.store.getShopper(req.params.id) === undefined) fail('UNKNOWN_ID', `unknown shopper "${req.params.id}"`);
        const limit = req.query.limit ?? 1000;
        return { events: events.slice(Math.max(0, events.length - limit)) };
      },
    );

    app.post<{ Body: Static<typeof ShoppersBody> }>(
      '/api/shoppers',
      { onRequest: requireRole(ctx, 'writer'), schema: { tags: ['shoppers'], summary: 'Add or update shoppers', ...security('writer'), body: ShoppersBody, response: { ...errorResponses(400, 401, 403) } } },
      async (req) => {
        const inputs = Array.isArray(req.body) ? req.body : [req.body];
        const shoppers = inputs.map((s) => ({ id: s.id, attributes: s.attributes ?? {}, createdAt: s.createdAt ?? null }));
        const r = ctx.store.importBatch({ items: [], shoppers, events: [], report: { ...emptyReport('api', 'api'), rowsRead: shoppers.length, rowsKept: shoppers.length, shoppers: shoppers.length } });
        ctx.shoppers.invalidate(shoppers.map((s) => s.id));
        return { added: r.shoppersAdded, updated: r.shoppersUpdated };
      },
    );
  },
};
