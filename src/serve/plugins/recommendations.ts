import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { shopperForRequest } from '../auth/guards.js';
import type { ServeContext } from '../context.js';
import type { ServePlugin } from '../plugin.js';
import type { FeedQuery } from '../recommend/feed.js';
import type { FilterQuery } from '../recommend/slate-filter.js';
import { similarCandidates, similarItems } from '../recommend/similar.js';
import { errorResponses, IdParamsSchema } from '../schemas/common.js';
import { FeedQuerySchema, ItemListSchema, SimilarQuerySchema, type FeedQueryParams } from '../schemas/recommend.js';

/**
 * Recommendations: the personalised feed, its live stream (server-sent
 * events: a new feed whenever the shopper's events change), and similar
 * products. Public: the shopper is the `shopperId` asked for, else the
 * session's.
 */

/** "a, b,c" → ["a", "b", "c"]; undefined stays undefined. */
export function splitList(s: string | undefined): string[] | undefined {
  if (s === undefined) return undefined;
  const parts = s.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts;
}

export function filterQuery(q: { category?: string; minPrice?: number; maxPrice?: number; exclude?: string }): FilterQuery {
  const out: FilterQuery = {};
  const categories = splitList(q.category);
  if (categories !== undefined) out.categories = categories;
  const exclude = splitList(q.exclude);
  if (exclude !== undefined) out.exclude = exclude;
  if (q.minPrice !== undefined) out.minPrice = q.minPrice;
  if (q.maxPrice !== undefined) out.maxPrice = q.maxPrice;
  return out;
}

function feedQuery(ctx: ServeContext, req: FastifyRequest, reply: FastifyReply, q: FeedQueryParams): FeedQuery {
  const who = shopperForRequest(ctx, req, reply, q.shopperId);
  const out: FeedQuery = { ...filterQuery(q), ...who };
  if (q.k !== undefined) out.k = q.k;
  if (q.diversity !== undefined) out.diversity = q.diversity;
  if (q.maxPerCategory !== undefined) out.maxPerCategory = q.maxPerCategory;
  if (q.exploration !== undefined) out.exploration = q.exploration;
  if (q.model !== undefined) out.model = q.model;
  if (q.log !== undefined) out.log = q.log;
  return out;
}

const StreamQuery = Type.Composite([FeedQuerySchema, Type.Object({ maxEvents: Type.Optional(Type.Integer({ minimum: 1, description: 'close after this many feeds (default: never)' })) })]);

export const recommendationsPlugin: ServePlugin = {
  name: 'recommendations',
  register(app, ctx) {
    app.get<{ Querystring: FeedQueryParams }>(
      '/api/recommendations',
      {
        schema: {
          tags: ['recommendations'],
          summary: 'The personalised feed of a shopper (fold-in of their events, session re-ranking, diversity, exploration)',
          querystring: FeedQuerySchema,
          response: { 200: Type.Ref('Feed'), ...errorResponses(400, 404, 429) },
        },
      },
      async (req, reply) => {
        const q = feedQuery(ctx, req, reply, req.query);
        // A shopper's first request reads their history in the reads' thread, not on the event loop.
        await ctx.shoppers.prefetch(q.shopperId);
        return ctx.feeds.feed(q);
      },
    );

    app.get<{ Querystring: Static<typeof StreamQuery> }>(
      '/api/recommendations/stream',
      {
        schema: {
          tags: ['recommendations'],
          summary: 'The feed, live: server-sent events, `event: feed` now and after each event of the shopper',
          querystring: StreamQuery,
          produces: ['text/event-stream'],
        },
      },
      (req, reply) => {
        const query = feedQuery(ctx, req, reply, req.query);
        // Validate the query (unknown shopper, model, category) before switching to a stream.
        ctx.feeds.feed({ ...query, log: false });
        stream(ctx, req, reply, query, req.query.maxEvents);
      },
    );

    app.get<{ Params: Static<typeof IdParamsSchema>; Querystring: Static<typeof SimilarQuerySchema> }>(
      '/api/recommendations/similar/:id',
      {
        schema: {
          tags: ['recommendations'],
          summary: 'Products similar to one product: the model\'s item similarity blended with how alike the product images look',
          params: IdParamsSchema,
          querystring: SimilarQuerySchema,
          response: { 200: ItemListSchema, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const model = ctx.models.require(req.query.model);
        const k = Math.min(req.query.k ?? ctx.config.defaultK, ctx.config.maxK);
        const neighbours = ctx.photoSearch?.neighbours?.(req.params.id, similarCandidates(k));
        const q = { ...filterQuery(req.query), itemId: req.params.id, k, ...(req.query.visual === undefined ? {} : { visualWeight: req.query.visual }) };
        return { itemId: req.params.id, model: model.name, ...similarItems(model, ctx.items, q, neighbours) };
      },
    );
  },
};

/** Switches the reply to an SSE stream and subscribes it to the hub. */
function stream(ctx: ServeContext, req: FastifyRequest, reply: FastifyReply, query: FeedQuery, maxEvents: number | undefined): void {
  const headers: Record<string, string> = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };
  const cookie = reply.getHeader('set-cookie');
  if (typeof cookie === 'string') headers['set-cookie'] = cookie;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, headers);
  let sent = 0;
  let unsubscribe = (): void => undefined;
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), ctx.config.heartbeatMs);
  heartbeat.unref();
  const end = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    if (!raw.writableEnded) raw.end();
  };
  unsubscribe = ctx.hub.subscribe({
    query,
    send: (event, data) => {
      if (raw.writableEnded) return;
      raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (event === 'feed' && maxEvents !== undefined && ++sent >= maxEvents) setImmediate(end);
    },
  });
  req.raw.on('close', end);
}
