import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineClient } from '../client/index.js';
import { trainBundle } from '../evaluate/train-bundle.js';
import { productImage } from '../vision/test-utils/images.js';
import { serveConfig } from './config.js';
import { RetrainScheduler } from './jobs/retrain-scheduler.js';
import { injectFetch, tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * Scheduled retraining: the served hybrid (a composite, so its nested
 * hyperparameters must survive the round trip through a train job) is
 * retrained when the shop gains a product or enough events, never twice at
 * once, and the new model knows the new product once it is swapped in.
 */
let shop: TinyShop;
let api: VitrineClient;

beforeAll(async () => {
  // everyMs 0: no timer; the test runs the checks itself.
  shop = await tinyShop({ models: ['hybrid'], deps: { config: { rateLimit: { max: 0 }, retrain: { everyMs: 0, minNewEvents: 5 } } } });
  api = new VitrineClient({ fetch: injectFetch(shop.app), apiKey: shop.keys.admin });
});
afterAll(() => shop.close());

describe('scheduled retraining', () => {
  it('does nothing while the store holds what the model was trained on', () => {
    const r = shop.app.vitrine.retrain.check();
    expect(r.job).toBeNull();
    expect(r.reason).toBe('0 new events (retrains at 5) and no new products');
  });

  it('retrains the served model, same kind, settings and name, once a product is added, and swaps it in', async () => {
    const ctx = shop.app.vitrine;
    const before = ctx.models.active.bundle;
    const item = { id: 'new-arrival', title: 'New arrival', category: shop.world.items[0]!.category, price: 10 };
    await new VitrineClient({ fetch: injectFetch(shop.app), apiKey: shop.keys.seller }).upsertItems(item);
    const r = ctx.retrain.check();
    expect(r.reason).toBe('0 new events and 1 new products since "hybrid" was trained');
    expect(r.job).toMatchObject({ kind: 'train', status: 'queued', params: { model: 'hybrid', name: 'hybrid', evaluate: true } });
    expect((r.job!.params.config as Record<string, unknown>).cfConfig).toEqual(before.model.config.cfConfig);
    // not twice at once
    const again = ctx.retrain.check();
    expect(again.job).toBeNull();
    expect(again.reason).toMatch(/^training job .* is (queued|running)$/);
    const done = await api.waitForJob(r.job!.id, { intervalMs: 50, timeoutMs: 60_000 });
    expect(done.error).toBeNull();
    const after = ctx.models.active.bundle;
    expect(ctx.models.activeModelName).toBe('hybrid');
    expect(after).not.toBe(before);
    expect(before.items.has('new-arrival')).toBe(false);
    expect(after.items.has('new-arrival')).toBe(true);
    expect(after.model.config).toEqual(before.model.config);
    expect(ctx.retrain.check().job).toBeNull();
  }, 90_000);

  it('retrains after enough new events', async () => {
    const writer = new VitrineClient({ fetch: injectFetch(shop.app), apiKey: shop.keys.writer });
    const items = shop.world.items.slice(0, 4).map((it) => it.id);
    await writer.sendEvents(items.map((itemId) => ({ shopperId: 's00003', itemId, type: 'view' as const })));
    expect(shop.app.vitrine.retrain.check().reason).toBe('4 new events (retrains at 5) and no new products');
    await writer.sendEvents([{ shopperId: 's00004', itemId: items[0]!, type: 'click' }]);
    const r = shop.app.vitrine.retrain.check();
    expect(r.reason).toBe('5 new events and 0 new products since "hybrid" was trained');
    expect((await api.waitForJob(r.job!.id, { intervalMs: 50, timeoutMs: 60_000 })).error).toBeNull();
  }, 90_000);

  it('checks its settings', () => {
    expect(() => serveConfig({ retrain: { everyMs: -1 } })).toThrow(/retrain.everyMs/);
    expect(serveConfig({ retrain: { everyMs: 60_000 } }).retrain).toEqual({ everyMs: 60_000, minNewEvents: 1000 });
  });
});

describe('retraining from the dashboard', () => {
  it('reports the schedule and its last decision, and retrains on request unless a training job is running', async () => {
    const before = await api.jobs();
    expect(before.retrain).toMatchObject({ everyMinutes: null, minNewEvents: 5 });
    expect(before.retrain.last).not.toBeNull();
    const job = await api.retrainNow();
    expect(job).toMatchObject({ kind: 'train', params: { model: 'hybrid', name: 'hybrid' } });
    await expect(api.retrainNow()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^cannot retrain now: training job .* is (queued|running)$/) });
    expect((await api.waitForJob(job.id, { intervalMs: 50, timeoutMs: 60_000 })).error).toBeNull();
    const after = await api.jobs();
    expect(after.retrain.last).toMatchObject({ jobId: null, reason: expect.stringMatching(/^training job/) });
    const forbidden = await shop.app.inject({ method: 'POST', url: '/api/jobs/retrain', headers: { 'x-api-key': shop.keys.seller } });
    expect(forbidden.statusCode).toBe(403);
  }, 90_000);
});

describe('scheduled retraining of the visual models', () => {
  let vshop: TinyShop;
  beforeAll(async () => {
    vshop = await tinyShop({ models: ['hybrid'], images: true, deps: { config: { rateLimit: { max: 0 }, retrain: { everyMs: 0, minNewEvents: 0 } } } });
  }, 60_000);
  afterAll(() => vshop.close());

  it('retrains a visual hybrid over the classic features (what a job computes again), not one over DVBPR', async () => {
    const ctx = vshop.app.vitrine;
    const dataset = vshop.store.loadDataset();
    const images = { imagesDir: join(vshop.dir, 'images') };
    const small = { cfConfig: { factors: 8, iterations: 4 }, visualConfig: { factors: 4, visualFactors: 4, epochs: 2 } };
    const vh = await trainBundle({ dataset, kind: 'visual-hybrid', name: 'vh', config: small, evaluate: false, images });
    ctx.models.put('vh', vh.bundle);
    ctx.models.setActive('vh');
    const r = ctx.retrain.check();
    expect(r.job).toMatchObject({ params: { model: 'visual-hybrid', name: 'vh' } });
    const done = await new VitrineClient({ fetch: injectFetch(vshop.app), apiKey: vshop.keys.admin }).waitForJob(r.job!.id, { intervalMs: 50, timeoutMs: 60_000 });
    expect(done.error).toBeNull();
    const dv = await trainBundle({ dataset, kind: 'visual-hybrid', name: 'vd', config: { ...small, visual: 'dvbpr', visualConfig: { imageSize: 32, channels: [4, 8], embedding: 4, epochs: 1 } }, evaluate: false, images: { ...images, size: 32 } });
    ctx.models.put('vd', dv.bundle);
    ctx.models.setActive('vd');
    expect(ctx.retrain.check()).toEqual({ job: null, reason: 'the served model "vd" is not retrained here: DVBPR (its own image size, a fit of minutes) is retrained with `vitrine train`' });
  }, 120_000);

  it('counts a product photo uploaded since the training as a reason to retrain a visual model, not a plain one', async () => {
    const ctx = vshop.app.vitrine;
    const dataset = vshop.store.loadDataset();
    const imagesDir = join(vshop.dir, 'images');
    const small = { cfConfig: { factors: 8, iterations: 4 }, visualConfig: { factors: 4, visualFactors: 4, epochs: 2 } };
    const vh = await trainBundle({ dataset, kind: 'visual-hybrid', name: 'vp', config: small, evaluate: false, images: { imagesDir } });
    ctx.models.put('vp', vh.bundle);
    ctx.models.setActive('vp');
    // A threshold no event count reaches: only new products or photos can trigger it.
    const scheduler = new RetrainScheduler({
      config: { ...ctx.config, retrain: { everyMs: 0, minNewEvents: 1e9 } }, store: vshop.store, items: ctx.items, models: ctx.models, log: ctx.log, jobs: () => ctx.jobs, imagesDir,
    });
    expect(scheduler.check()).toMatchObject({ job: null, reason: expect.stringMatching(/and no new products or photos$/) });
    const id = [...ctx.items.all()][0]!.id;
    const res = await vshop.app.inject({ method: 'PUT', url: `/api/items/${id}/image`, headers: { 'content-type': 'image/png', 'x-api-key': vshop.keys.seller }, payload: await productImage([200, 30, 30], 'disc') });
    expect(res.statusCode).toBe(200);
    ctx.models.setActive('hybrid');
    expect(scheduler.check()).toMatchObject({ job: null, reason: expect.stringMatching(/and no new products$/) }); // the plain hybrid reads no photo
    ctx.models.setActive('vp');
    const r = scheduler.check();
    expect(r.reason).toMatch(/, 0 new products and 1 new product photos since "vp" was trained$/);
    expect(r.job).toMatchObject({ params: { model: 'visual-hybrid', name: 'vp' } });
    const done = await new VitrineClient({ fetch: injectFetch(vshop.app), apiKey: vshop.keys.admin }).waitForJob(r.job!.id, { intervalMs: 50, timeoutMs: 60_000 });
    expect(done.error).toBeNull();
    // the retrained model (swapped in by the job) has seen the photo
    expect(scheduler.check()).toMatchObject({ job: null, reason: expect.stringMatching(/and no new products or photos$/) });
  }, 120_000);
});
