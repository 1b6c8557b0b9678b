import { Type, type Static } from '@sinclair/typebox';
import { checkRole, ensureSessionShopper, principalOf, requireRole } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, security } from '../schemas/common.js';
import { EventInputSchema, IngestResultSchema, type EventInputDto } from '../schemas/catalog.js';

/**
 * Events, single and batch. A 201 means the events are committed to the
 * store (see events/ingest.ts). A single event may come from a writer key
 * (for any shopper) or from the storefront itself with the shopper's session
 * cookie (for that shopper only); a batch needs a writer key.
 */
export const eventsPlugin: ServePlugin = {
  name: 'events',
  register(app, ctx) {
    const BatchBody = Type.Object({ events: Type.Array(Type.Ref('EventInput'), { minItems: 1, maxItems: ctx.config.maxBatch }) }, { additionalProperties: false });

    app.post<{ Body: EventInputDto }>(
      '/api/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Record one event (view, click, add-to-cart, purchase); committed before the reply',
          ...security('writer-or-session'),
          body: EventInputSchema,
          response: { 201: IngestResultSchema, ...errorResponses(400, 401, 403, 404, 413, 429) },
        },
      },
      async (req, reply) => {
        const principal = principalOf(ctx, req);
        const sessionShopper = principal === undefined ? ensureSessionShopper(ctx, req, reply) : (checkRole(principal, 'writer'), undefined);
        return reply.status(201).send(await ctx.ingest.ingest([req.body], sessionShopper));
      },
    );

    app.post<{ Body: Static<typeof BatchBody> }>(
      '/api/events/batch',
      {
        onRequest: requireRole(ctx, 'writer'),
        schema: {
          tags: ['events'],
          summary: `Record up to ${ctx.config.maxBatch} events in one transaction (all or none)`,
          ...security('writer'),
          body: BatchBody,
          response: { 201: IngestResultSchema, ...errorResponses(400, 401, 403, 404, 413, 429) },
        },
      },
      async (req, reply) => reply.status(201).send(await ctx.ingest.ingest(req.body.events as EventInputDto[])),
    );
  },
};
