import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignVariant } from './experiments/assign.js';
import type { FeedDto } from './schemas/recommend.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop({ models: ['als', 'hybrid'] });
});
afterAll(() => shop.close());

const admin = (): Record<string, string> => ({ 'x-api-key': shop.keys.admin });

describe('assignment', () => {
  it('is stable and balanced', () => {
    const variants = [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 1 },
    ];
    const ids = Array.from({ length: 20_000 }, (_, i) => `s${String(i + 1).padStart(5, '0')}`);
    const first = ids.map((id) => assignVariant('exp1', id, variants).name);
    expect(ids.map((id) => assignVariant('exp1', id, variants).name)).toEqual(first);
    const shareA = first.filter((v) => v === 'a').length / ids.length;
    // binomial sd at n = 20,000 is 0.0035; 0.015 is over 4 sd
    expect(Math.abs(shareA - 0.5)).toBeLessThan(0.015);
    const weighted = ids.map((id) => assignVariant('exp1', id, [{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }]).name);
    expect(Math.abs(weighted.filter((v) => v === 'a').length / ids.length - 0.25)).toBeLessThan(0.015);
    // another experiment reshuffles shoppers independently of this one
    const other = ids.map((id) => assignVariant('exp2', id, variants).name);
    const agree = other.filter((v, i) => v === first[i]).length / ids.length;
    expect(Math.abs(agree - 0.5)).toBeLessThan(0.015);
  });
});

describe('experiments', () => {
  it('serves each shopper their variant, logs exposures, and reports results with tests', async () => {
    const created = await shop.app.inject({
      method: 'POST',
      url: '/api/experiments',
      headers: admin(),
      payload: { id: 'cf-vs-hybrid', name: 'ALS vs hybrid', variants: [{ name: 'control', config: { model: 'als' } }, { name: 'hybrid', config: { model: 'hybrid', exploration: 0.05 } }] },
    });
    expect(created.statusCode).toBe(201);
    const conflict = await shop.app.inject({ method: 'POST', url: '/api/experiments', headers: admin(), payload: { name: 'second', variants: [{ name: 'a' }, { name: 'b' }] } });
    expect(conflict.statusCode).toBe(409);

    const seen = new Map<string, string>();
    for (const s of shop.world.shoppers) {
      const f = (await shop.app.inject({ method: 'GET', url: `/api/recommendations?shopperId=${s.id}&k=5` })).json() as FeedDto;
      expect(f.experimentId).toBe('cf-vs-hybrid');
      expect(f.model).toBe(f.variant === 'control' ? 'als' : 'hybrid');
      const assigned = (await shop.app.inject({ method: 'GET', url: `/api/experiments/cf-vs-hybrid/assignment?shopperId=${s.id}`, headers: admin() })).json() as { variant: string };
      expect(assigned.variant).toBe(f.variant);
      seen.set(s.id, f.variant);
      // the shopper clicks the first product and buys the second
      await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { shopperId: s.id, itemId: f.items[0]!.itemId, type: 'click' } });
      if (s.id < 's00015') await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { shopperId: s.id, itemId: f.items[1]!.itemId, type: 'purchase' } });
    }
    expect(new Set(seen.values()).size).toBe(2);
    // asking for a model by name opts out
    expect(((await shop.app.inject({ method: 'GET', url: '/api/recommendations?shopperId=s00001&model=hybrid' })).json() as FeedDto).experimentId).toBeNull();

    const res = await shop.app.inject({ method: 'GET', url: '/api/experiments/cf-vs-hybrid/results', headers: admin() });
    expect(res.statusCode).toBe(200);
    const r = res.json() as {
      variants: { variant: string; metrics: { impressions: number; shoppers: number; clicks: number; ctr: { rate: number; lo: number; hi: number }; conversion: { rate: number } } }[];
      comparisons: { variant: string; control: string; ctr: { pValue: number; ci: { lo: number; hi: number } }; conversion: { pValue: number }; aov: { pValue: number } }[];
    };
    expect(r.variants.map((v) => v.variant)).toEqual(['control', 'hybrid']);
    const total = r.variants.reduce((s, v) => s + v.metrics.shoppers, 0);
    expect(total).toBe(shop.world.shoppers.length);
    for (const v of r.variants) {
      expect(v.metrics.impressions).toBe(5 * v.metrics.shoppers);
      expect(v.metrics.clicks).toBe(v.metrics.shoppers);
      expect(v.metrics.ctr.rate).toBeCloseTo(0.2, 10);
      expect(v.metrics.ctr.lo).toBeLessThan(0.2);
    }
    expect(r.comparisons).toHaveLength(1);
    expect(r.comparisons[0]).toMatchObject({ variant: 'hybrid', control: 'control' });
    expect(r.comparisons[0]!.ctr.pValue).toBeGreaterThan(0.5);
    expect(r.comparisons[0]!.conversion.pValue).toBeGreaterThanOrEqual(0);

    const stopped = await shop.app.inject({ method: 'POST', url: '/api/experiments/cf-vs-hybrid/stop', headers: admin() });
    expect((stopped.json() as { status: string }).status).toBe('stopped');
    expect(((await shop.app.inject({ method: 'GET', url: '/api/recommendations?shopperId=s00001' })).json() as FeedDto).experimentId).toBeNull();
  });

  it('rejects bad experiments', async () => {
    const cases = [
      { name: 'one variant', variants: [{ name: 'a' }] },
      { name: 'dup', variants: [{ name: 'a' }, { name: 'a' }] },
      { name: 'bad model', variants: [{ name: 'a', config: { model: 'nope' } }, { name: 'b' }] },
      { name: 'bad knob', variants: [{ name: 'a', config: { temperature: 3 } }, { name: 'b' }] },
    ];
    const statuses = [];
    for (const payload of cases) statuses.push((await shop.app.inject({ method: 'POST', url: '/api/experiments', headers: admin(), payload })).statusCode);
    expect(statuses).toEqual([400, 400, 404, 400]);
    expect((await shop.app.inject({ method: 'GET', url: '/api/experiments/none/results', headers: admin() })).statusCode).toBe(404);
  });

  it('sizes an experiment', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/api/experiments/sample-size?baseline=0.1&mde=0.02' });
    expect(res.json()).toMatchObject({ perVariant: 3841 });
    expect((await shop.app.inject({ method: 'GET', url: '/api/experiments/sample-size?baseline=0.1&mde=0' })).statusCode).toBe(400);
  });
});

describe('business metrics', () => {
  it('reports impressions, CTR, conversion, AOV, revenue per shopper and CLV by day and variant', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/api/metrics/business', headers: admin() });
    expect(res.statusCode).toBe(200);
    const m = res.json() as { variants: { variant: string; impressions: number; ctr: { rate: number }; conversion: { rate: number }; aov: { mean: number }; revenuePerShopper: number; clv: number }[]; days: { day: string }[] };
    expect(m.days.length).toBeGreaterThan(0);
    expect(m.days[0]!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const control = m.variants.find((v) => v.variant === 'control')!;
    expect(control.impressions).toBeGreaterThan(0);
    expect(control.ctr.rate).toBeGreaterThan(0);
    expect(control.conversion.rate).toBeGreaterThan(0);
    expect(control.aov.mean).toBeGreaterThan(0);
    expect(control.revenuePerShopper).toBeGreaterThan(0);
    expect(control.clv).toBeGreaterThan(0);
    expect((await shop.app.inject({ method: 'GET', url: '/api/metrics/business?from=yesterday', headers: admin() })).statusCode).toBe(400);
    const service = (await shop.app.inject({ method: 'GET', url: '/api/metrics/service', headers: admin() })).json() as { routes: { route: string; requests: number; p99Ms: number }[] };
    expect(service.routes.find((r) => r.route === 'GET /api/recommendations')!.requests).toBeGreaterThan(10);
  });
});
