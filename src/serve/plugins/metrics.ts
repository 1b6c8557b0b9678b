import type { Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import { businessMetrics, customerLifetimeValue, ordersPerYear } from '../../metrics/business.js';
import { requireRole } from '../auth/guards.js';
import type { ServePlugin } from '../plugin.js';
import { errorResponses, security } from '../schemas/common.js';
import { MetricsQuerySchema } from '../schemas/admin.js';

/**
 * Metrics (issue 4): business metrics by day and variant (impressions, CTR,
 * conversion, AOV, revenue per shopper, each with an interval, and a CLV
 * estimate per variant), and the service's own (latency percentiles per
 * route, events acknowledged, live streams). Admin only.
 */
const DAY_MS = 86_400_000;

/** "2026-01-05", an ISO timestamp, or unix ms. */
export function parseTime(s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) fail('INVALID_ARGUMENT', `"${s}" is not a date (ISO 8601 or unix ms)`);
  return t;
}

export const metricsPlugin: ServePlugin = {
  name: 'metrics',
  register(app, ctx) {
    const admin = requireRole(ctx, 'admin');

    app.get<{ Querystring: Static<typeof MetricsQuerySchema> }>(
      '/api/metrics/business',
      {
        onRequest: admin,
        schema: { tags: ['metrics'], summary: 'Impressions, CTR, conversion, AOV, revenue per shopper and CLV, by day and variant', ...security('admin'), querystring: MetricsQuerySchema, response: { ...errorResponses(400, 401, 403) } },
      },
      async (req) => {
        const now = ctx.clock();
        const to = parseTime(req.query.to, now + 1);
        const from = parseTime(req.query.from, to - 30 * DAY_MS);
        if (!(from < to)) fail('INVALID_ARGUMENT', `from must be before to`);
        const confidence = req.query.confidence ?? 0.95;
        const q = { from, to, attributionWindowMs: ctx.config.attributionWindowMs, ...(req.query.experiment === undefined ? {} : { experimentId: req.query.experiment }) };
        const daily = ctx.store.businessCounts({ ...q, byDay: true });
        const overall = ctx.store.businessCounts({ ...q, byDay: false });
        const variants = overall.map((row) => {
          const m = businessMetrics(row, confidence);
          const days = Math.max(1, daily.filter((d) => d.variant === row.variant).length);
          return { ...m, clv: customerLifetimeValue({ aov: m.aov.mean, ordersPerYear: ordersPerYear(row.orders, row.shoppers, days) }) };
        });
        return {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          confidence,
          clvAssumptions: 'CLV = m r / (1 + i - r), m = AOV × orders per shopper per year (from the days with data), r = 0.6, i = 0.1 (Gupta and Lehmann 2003)',
          variants,
          days: daily.map((d) => businessMetrics(d, confidence)),
        };
      },
    );

    app.get('/api/metrics/service', { onRequest: admin, schema: { tags: ['metrics'], summary: 'Latency per route, events acknowledged, impressions, streams', ...security('admin') } }, async () => ({
      uptimeSeconds: Math.round((Date.now() - ctx.metrics.startedAt) / 1000),
      eventsAcknowledged: ctx.ingest.acknowledged,
      impressions: ctx.impressions.totals(),
      liveStreams: ctx.hub.size,
      model: ctx.models.activeModelName ?? null,
      routes: ctx.metrics.snapshot(),
      eventLoopDelay: ctx.metrics.eventLoopDelay(),
      candidateCache: { enabled: ctx.config.candidateCache, hits: ctx.feeds.candidates.hits, misses: ctx.feeds.candidates.misses },
      // threaded false in `vitrine serve` means a store thread failed and its work runs on the event loop (logged).
      storeThreads: {
        writes: { threaded: ctx.io.writer.threaded, done: ctx.io.writer.writes },
        reads: { threaded: ctx.io.reader?.threaded ?? false, done: ctx.io.reader?.reads ?? 0 },
      },
      memory: { rssMb: Math.round(process.memoryUsage().rss / 1e6), heapMb: Math.round(process.memoryUsage().heapUsed / 1e6) },
    }));
  },
};
