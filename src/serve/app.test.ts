import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

/** The error boundary and the cross-cutting parts: auth, rate limit, docs. Every error is { error: { code, message } }. */
let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop();
});
afterAll(() => shop.close());

const errorOf = (res: { json(): unknown }): { code: string; message: string; hint?: string } => (res.json() as { error: { code: string; message: string; hint?: string } }).error;

describe('errors are JSON with a stable code', () => {
  it('bad JSON is 400 MALFORMED_INPUT', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'content-type': 'application/json', 'x-api-key': shop.keys.writer }, payload: '{"itemId": ' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('MALFORMED_INPUT');
  });

  it('a body that fails the schema is 400 INVALID_ARGUMENT naming the field', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { shopperId: 's1', type: 'view' } });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('itemId') });
  });

  it('an unknown route is 404 UNKNOWN_ID with a hint', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res)).toMatchObject({ code: 'UNKNOWN_ID', hint: expect.stringContaining('/docs') });
  });

  it('unknown ids are 404 UNKNOWN_ID', async () => {
    for (const url of ['/api/items/nope', '/api/recommendations?shopperId=nobody', '/api/recommendations/similar/nope', '/api/recommendations?shopperId=s00001&category=spaceships']) {
      const res = await shop.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(errorOf(res).code, url).toBe('UNKNOWN_ID');
    }
    const model = await shop.app.inject({ method: 'GET', url: '/api/recommendations?shopperId=s00001&model=nope' });
    expect(model.statusCode).toBe(404);
    expect(errorOf(model).code).toBe('MODEL_NOT_FOUND');
  });

  it('an oversized body is 413 PAYLOAD_TOO_LARGE', async () => {
    const small = await buildApp({ store: shop.store, modelsDir: shop.modelsDir, config: { bodyLimit: 1024, rateLimit: { max: 0 } }, jobs: false });
    const events = Array.from({ length: 50 }, (_, i) => ({ shopperId: 's00001', itemId: shop.world.items[0]!.id, type: 'view', key: `big-${i}` }));
    const res = await small.inject({ method: 'POST', url: '/api/events/batch', headers: { 'x-api-key': shop.keys.writer }, payload: { events } });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res).code).toBe('PAYLOAD_TOO_LARGE');
    await small.close();
  });

  it('an unsupported content type is 415 UNKNOWN_FORMAT', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'content-type': 'text/csv', 'x-api-key': shop.keys.writer }, payload: 'a,b' });
    expect(res.statusCode).toBe(415);
    expect(errorOf(res).code).toBe('UNKNOWN_FORMAT');
  });
});

describe('API keys', () => {
  it('missing key is 401, malformed or unknown key is 401, too low a role is 403', async () => {
    const missing = await shop.app.inject({ method: 'GET', url: '/api/keys' });
    expect(missing.statusCode).toBe(401);
    expect(errorOf(missing)).toMatchObject({ code: 'UNAUTHORIZED', hint: expect.stringContaining('x-api-key') });
    // auth comes before the body is read: no key and a bad body is still 401
    const noKeyBadBody = await shop.app.inject({ method: 'POST', url: '/api/events/batch', headers: { 'content-type': 'application/json' }, payload: '{"oops' });
    expect(noKeyBadBody.statusCode).toBe(401);
    const malformed = await shop.app.inject({ method: 'GET', url: '/api/keys', headers: { 'x-api-key': 'letmein' } });
    expect(malformed.statusCode).toBe(401);
    const wrong = shop.keys.admin.slice(0, -4) + 'AAAA';
    const unknown = await shop.app.inject({ method: 'GET', url: '/api/keys', headers: { 'x-api-key': wrong } });
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(unknown).message).toMatch(/unknown API key/);
    const writer = await shop.app.inject({ method: 'GET', url: '/api/keys', headers: { 'x-api-key': shop.keys.writer } });
    expect(writer.statusCode).toBe(403);
    expect(errorOf(writer).code).toBe('FORBIDDEN');
    const seller = await shop.app.inject({ method: 'POST', url: '/api/events/batch', headers: { authorization: `Bearer ${shop.keys.seller}` }, payload: { events: [{ shopperId: 's00001', itemId: shop.world.items[0]!.id, type: 'view' }] } });
    expect(seller.statusCode).toBe(201);
  });

  it('creates, lists without secrets, and revokes keys at once', async () => {
    const created = await shop.app.inject({ method: 'POST', url: '/api/keys', headers: { 'x-api-key': shop.keys.admin }, payload: { role: 'writer', label: 'pos' } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    expect(key).toMatch(/^vk_k[0-9a-f]{8}_/);
    const list = await shop.app.inject({ method: 'GET', url: '/api/keys', headers: { 'x-api-key': shop.keys.admin } });
    expect(JSON.stringify(list.json())).not.toContain(key.slice('vk_k12345678_'.length));
    expect(JSON.stringify(list.json())).not.toMatch(/hash/);
    const ok = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': key }, payload: { shopperId: 's00002', itemId: shop.world.items[1]!.id, type: 'view' } });
    expect(ok.statusCode).toBe(201);
    expect((await shop.app.inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: { 'x-api-key': shop.keys.admin } })).statusCode).toBe(200);
    const revoked = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': key }, payload: { shopperId: 's00002', itemId: shop.world.items[1]!.id, type: 'view' } });
    expect(revoked.statusCode).toBe(401);
    expect(errorOf(revoked).message).toMatch(/revoked/);
    expect((await shop.app.inject({ method: 'DELETE', url: '/api/keys/knope', headers: { 'x-api-key': shop.keys.admin } })).statusCode).toBe(404);
  });

  it('tells any key its id and role, and a missing key 401', async () => {
    for (const role of ['writer', 'seller', 'admin'] as const) {
      const me = await shop.app.inject({ method: 'GET', url: '/api/keys/me', headers: { 'x-api-key': shop.keys[role] } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toEqual({ keyId: shop.keys[role].split('_')[1], role });
    }
    expect((await shop.app.inject({ method: 'GET', url: '/api/keys/me' })).statusCode).toBe(401);
  });
});

describe('rate limit', () => {
  it('answers 429 RATE_LIMITED with retry-after once a client exceeds its budget', async () => {
    const limited = await buildApp({ store: shop.store, modelsDir: shop.modelsDir, config: { rateLimit: { max: 3, windowMs: 60_000 } }, jobs: false });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await limited.inject({ method: 'GET', url: '/api/health' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const res = await limited.inject({ method: 'GET', url: '/api/health' });
    expect(errorOf(res).code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // another client (an API key) has its own budget
    expect((await limited.inject({ method: 'GET', url: '/api/health', headers: { 'x-api-key': shop.keys.writer } })).statusCode).toBe(200);
    await limited.close();
  });
});

describe('docs', () => {
  it('serves the OpenAPI document with every route', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/events', '/api/events/batch', '/api/recommendations', '/api/recommendations/stream', '/api/recommendations/compact', '/api/jobs', '/api/experiments', '/api/metrics/business', '/api/keys']) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
    expect((await shop.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
