import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { anonymousShopperId } from '../auth/session-cookie.js';
import { sessionShopperOf } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses } from '../schemas/common.js';

/**
 * Health and the shopper session. GET /api/health says whether a model is
 * loaded and how big the shop is; /api/session reads, starts (as a known
 * shopper, or anonymous) and ends the signed session cookie that identifies
 * a shopper to the feed and event routes.
 */
const SessionBody = Type.Object({ shopperId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }, { additionalProperties: false });
const SessionReply = Type.Object({ shopperId: Type.Union([Type.String(), Type.Null()]), known: Type.Boolean() });

export const sessionPlugin: ServePlugin = {
  name: 'session',
  register(app, ctx) {
    app.get('/api/health', { schema: { tags: ['service'], summary: 'Liveness, the served model and the shop size' } }, async () => ({
      status: 'ok',
      model: ctx.models.activeModelName ?? null,
      models: ctx.models.list().map((m) => m.name),
      items: ctx.items.size,
      liveStreams: ctx.hub.size,
      eventsAcknowledged: ctx.ingest.acknowledged,
      uptimeSeconds: Math.round((Date.now() - ctx.metrics.startedAt) / 1000),
    }));

    app.get('/api/session', { schema: { tags: ['session'], summary: 'The shopper of the session cookie', response: { 200: SessionReply } } }, async (req) => {
      const shopperId = sessionShopperOf(ctx, req) ?? null;
      if (shopperId !== null) await ctx.shoppers.prefetch(shopperId);
      return { shopperId, known: shopperId !== null && ctx.shoppers.get(shopperId).known };
    });

    app.post<{ Body: Static<typeof SessionBody> }>(
      '/api/session',
      {
        // No body at all (a bare POST) starts an anonymous session, as {} does.
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: { tags: ['session'], summary: 'Start a session as a shopper (or anonymous); sets the cookie', body: SessionBody, response: { 200: SessionReply, ...errorResponses(404) } },
      },
      async (req, reply) => {
        const requested = req.body?.shopperId;
        // A visitor's first call: their history is read in the reads' thread, not on the event loop.
        if (requested !== undefined) await ctx.shoppers.prefetch(requested);
        if (requested !== undefined && !ctx.shoppers.get(requested).known && !ctx.models.list().some((m) => m.bundle.users.has(requested))) {
          fail('UNKNOWN_ID', `unknown shopper "${requested}"`, { hint: 'leave shopperId out to start an anonymous session' });
        }
        const shopperId = requested ?? anonymousShopperId();
        void reply.header('set-cookie', ctx.sessions.setCookie(shopperId, req.protocol === 'https'));
        return { shopperId, known: requested !== undefined };
      },
    );

    app.delete('/api/session', { schema: { tags: ['session'], summary: 'End the session (clears the cookie)' } }, async (_req, reply) => {
      void reply.header('set-cookie', ctx.sessions.clearCookie());
      return { shopperId: null, known: false };
    });
  },
};
