import { Type, type Static } from '@sinclair/typebox';
import { shopperForRequest } from '../auth/guards.js';
import { airtimeTable, dataRate, LORAWAN_FRAMING_BYTES, timeOnAir } from '../compact/airtime.js';
import { encodeSlate } from '../compact/codec.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses } from '../schemas/common.js';
import { CompactQuerySchema, type CompactSlateDto } from '../schemas/recommend.js';

/**
 * Compact delivery for low-bandwidth links (paper 000: LoRa; format in
 * docs/compact-slate.md): the shopper's feed encoded to fit one LoRaWAN
 * application payload at the chosen region and data rate (51 bytes at
 * EU868 DR0; 11 at US915 DR0, where the slate shrinks and says so), as raw
 * bytes (application/octet-stream, details in X-Vitrine-* headers) or as
 * JSON with the payload in base64 and the time on air at SF7..SF12. The
 * device maps catalog indices to products with /api/compact/catalog.
 */
const CatalogQuery = Type.Object({ model: Type.Optional(Type.String()) });

export const compactPlugin: ServePlugin = {
  name: 'compact',
  register(app, ctx) {
    app.get<{ Querystring: Static<typeof CompactQuerySchema> }>(
      '/api/recommendations/compact',
      {
        schema: {
          tags: ['compact'],
          summary: 'The feed as a compact binary slate that fits one LoRaWAN payload',
          querystring: CompactQuerySchema,
          produces: ['application/octet-stream', 'application/json'],
          response: { ...errorResponses(400, 404, 429) },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const rate = dataRate(q.region ?? 'EU868', q.dr ?? 0);
        const requested = q.k ?? 10;
        const who = shopperForRequest(ctx, req, reply, q.shopperId);
        await ctx.shoppers.prefetch(who.shopperId);
        // New arrivals stay out: a device decodes indices into the model's catalog table, which does not hold them.
        const feed = ctx.feeds.feed({ ...who, k: requested, newArrivals: false, ...(q.model === undefined ? {} : { model: q.model }) });
        const model = ctx.models.require(feed.model);
        const indices = feed.items.map((it) => model.bundle.items.get(it.itemId)!);
        const enc = encodeSlate(indices, feed.items.map((it) => it.score), { maxBytes: rate.maxPayload, catalogTag: model.catalogTag });
        const airtimeMs = timeOnAir(enc.bytes.length + LORAWAN_FRAMING_BYTES, { sf: rate.sf, bandwidthHz: rate.bandwidthHz }).totalMs;
        if ((q.format ?? 'binary') === 'binary') {
          void reply.header('content-type', 'application/octet-stream');
          void reply.header('x-vitrine-count', String(enc.count));
          void reply.header('x-vitrine-truncated', String(enc.truncated));
          void reply.header('x-vitrine-catalog-tag', String(model.catalogTag));
          void reply.header('x-vitrine-airtime-ms', airtimeMs.toFixed(3));
          return reply.send(Buffer.from(enc.bytes));
        }
        const dto: CompactSlateDto = {
          payload: Buffer.from(enc.bytes).toString('base64'),
          bytes: enc.bytes.length,
          maxBytes: rate.maxPayload,
          region: rate.region,
          dr: rate.dr,
          sf: rate.sf,
          bandwidthHz: rate.bandwidthHz,
          requested,
          count: enc.count,
          truncated: enc.truncated,
          catalogTag: model.catalogTag,
          model: model.name,
          itemIds: feed.items.slice(0, enc.count).map((it) => it.itemId),
          airtime: airtimeTable(enc.bytes.length),
          airtimeMs: Math.round(airtimeMs * 1000) / 1000,
        };
        return dto;
      },
    );

    app.get<{ Querystring: Static<typeof CatalogQuery> }>(
      '/api/compact/catalog',
      { schema: { tags: ['compact'], summary: 'The catalog table a device holds: product ids by index, and its tag', querystring: CatalogQuery, response: { ...errorResponses(404) } } },
      async (req) => {
        const model = ctx.models.require(req.query.model);
        return { model: model.name, tag: model.catalogTag, itemIds: model.itemIds };
      },
    );
  },
};
