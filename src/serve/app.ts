import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { VitrineError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { createContext, type ServeContext, type ServeDeps } from './context.js';
import { serveConfig } from './config.js';
import { installErrorHandling } from './errors.js';
import type { ServePlugin } from './plugin.js';
import { BUILTIN_PLUGINS } from './plugins/index.js';
import { docsPlugin } from './plugins/docs.js';
import { ErrorBodySchema } from './schemas/common.js';
import { FeedItemSchema, FeedSchema } from './schemas/recommend.js';
import { ItemSchema, ShopperSchema, EventInputSchema } from './schemas/catalog.js';
import { JobSchema } from './schemas/admin.js';

/**
 * buildApp(deps): the whole storefront service as a fastify instance,
 * without listening (server.ts listens; tests call app.inject()). Order:
 * error handling, shared schemas, the OpenAPI document (it must see every
 * route), rate limiting, then one plugin per feature. `app.vitrine` holds
 * the services; `close()` flushes impressions and stops jobs.
 */

declare module 'fastify' {
  interface FastifyInstance {
    vitrine: ServeContext;
  }
}

export async function buildApp(deps: ServeDeps): Promise<FastifyInstance> {
  const config = serveConfig(deps.config);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: config.bodyLimit,
    // Per-request log lines would cost more than the recommendation itself at 500 requests/s.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
  });
  const log: Logger = deps.logger ? (app.log as unknown as Logger) : silentLogger;
  const ctx = await createContext(deps, log);
  app.decorate('vitrine', ctx);
  installErrorHandling(app);
  for (const s of [ErrorBodySchema, ItemSchema, ShopperSchema, EventInputSchema, FeedItemSchema, FeedSchema, JobSchema]) app.addSchema(s);
  // Registered on the root, not in a child context, so the OpenAPI document sees every route.
  await docsPlugin.register(app, ctx);
  if (ctx.config.rateLimit.max > 0) await registerRateLimit(app, ctx);
  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.record(`${req.method} ${req.routeOptions.url ?? 'unmatched'}`, reply.elapsedTime, reply.statusCode);
  });
  await registerPlugins(app, ctx, [...BUILTIN_PLUGINS, ...(deps.plugins ?? [])]);
  ctx.impressions.start(ctx.config.impressionFlushMs);
  ctx.metrics.startLoopMonitor();
  ctx.retrain.start();
  ctx.storeWatch.start();
  app.addHook('onClose', async () => {
    ctx.retrain.stop();
    ctx.storeWatch.stop();
    ctx.metrics.stopLoopMonitor();
    ctx.hub.close();
    await ctx.jobs?.close();
    await ctx.impressions.close();
  });
  return app;
}

async function registerPlugins(app: FastifyInstance, ctx: ServeContext, plugins: readonly ServePlugin[]): Promise<void> {
  const names = new Set<string>();
  for (const p of plugins) {
    if (names.has(p.name)) throw new VitrineError('CONFLICT', `two plugins are named "${p.name}"`);
    names.add(p.name);
    if (p.enabled !== undefined && !p.enabled(ctx)) continue;
    await app.register(async (child) => p.register(child, ctx));
  }
}

/**
 * Requests per client per window: the client is the API key's id, else the
 * session cookie, else the IP. Exceeding it is RATE_LIMITED (429) with
 * retry-after.
 */
async function registerRateLimit(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  await app.register(fastifyRateLimit, {
    max: ctx.config.rateLimit.max,
    timeWindow: ctx.config.rateLimit.windowMs,
    keyGenerator: (req) => {
      const key = req.headers['x-api-key'];
      if (typeof key === 'string' && key.startsWith('vk_')) return `key:${key.slice(3, 12)}`;
      const cookie = req.headers.cookie;
      if (typeof cookie === 'string' && cookie.includes('vitrine_session=')) return `session:${cookie.split('vitrine_session=')[1]!.split(';')[0]}`;
      return `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, c) =>
      new VitrineError('RATE_LIMITED', `rate limit of ${c.max} requests per ${Math.round(ctx.config.rateLimit.windowMs / 1000)} s exceeded`, {
        details: { retryAfterSec: Math.ceil(c.ttl / 1000) },
      }),
  });
}
