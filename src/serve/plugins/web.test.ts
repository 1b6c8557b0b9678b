import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyShop, type TinyShop } from '../test-utils/shop.js';
import { cacheControlFor, webDistOk, webPlugin } from './web.js';

/**
 * The built web UI served by the service: files with the right cache
 * headers, the SPA fallback for client-side routes, API 404s left alone,
 * and the features route the UI reads.
 */
const dist = mkdtempSync(join(tmpdir(), 'vitrine-web-'));
const INDEX = '<!doctype html><title>vitrine</title><div id="app"></div>';
let shop: TinyShop;

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'main-Ab12Cd.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  shop = await tinyShop({ deps: { plugins: [webPlugin({ root: dist })] } });
});
afterAll(async () => {
  await shop.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('web plugin', () => {
  it('serves index.html at / and revalidates it every time', async () => {
    const r = await shop.app.inject('/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.body).toBe(INDEX);
  });

  it('caches fingerprinted assets for a year, immutable', async () => {
    const r = await shop.app.inject('/assets/main-Ab12Cd.js');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await shop.app.inject('/favicon.svg')).headers['cache-control']).toBe('no-cache');
  });

  it('answers client-side routes with index.html (SPA fallback)', async () => {
    for (const path of ['/product/p000001', '/admin/jobs', '/photo?item=p000002']) {
      const r = await shop.app.inject(path);
      expect(r.statusCode, path).toBe(200);
      expect(r.body).toBe(INDEX);
    }
  });

  it('never falls back for API routes or missing files', async () => {
    const api = await shop.app.inject('/api/no-such-route');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'UNKNOWN_ID' } });
    expect((await shop.app.inject('/assets/gone-123.js')).statusCode).toBe(404);
    expect((await shop.app.inject('/api/items?limit=1')).json()).toMatchObject({ total: 60 });
  });

  it('tells the UI which optional features the server has', async () => {
    const f = (await shop.app.inject('/api/ui/features')).json();
    expect(f).toEqual({ photo: false, jobs: true, demo: false, routes: [] });
  });

  it('is not registered without a build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vitrine-web-empty-'));
    expect(webDistOk(empty)).toBe(false);
    const other = await tinyShop({ deps: { plugins: [webPlugin({ root: empty })], jobs: false } });
    try {
      expect((await other.app.inject('/')).statusCode).toBe(404);
      expect((await other.app.inject('/api/ui/features')).statusCode).toBe(404);
    } finally {
      await other.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('chooses cache headers by path', () => {
    expect(cacheControlFor('/x/dist/assets/a-1.css')).toContain('immutable');
    expect(cacheControlFor('/x/dist/index.html')).toBe('no-cache');
  });
});
