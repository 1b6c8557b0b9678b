import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineClient } from '../client/index.js';
import { startServer, type RunningServer } from './server.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

/** The listening server: a real socket, background WAL checkpoints, writes in their own thread, a clean close. */
let shop: TinyShop;
let server: RunningServer;
beforeAll(async () => {
  shop = await tinyShop();
  server = await startServer({ storePath: join(shop.dir, 'vitrine.db'), modelsDir: shop.modelsDir, port: 0, config: { rateLimit: { max: 0 } } });
});
afterAll(async () => {
  await server.close();
  await shop.close();
});

describe('startServer', () => {
  it('serves over a socket and checkpoints the WAL off the request path', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const api = new VitrineClient({ baseUrl: server.url, apiKey: shop.keys.writer });
    expect((await api.health()).model).toBe('als');
    await api.sendEvents(Array.from({ length: 50 }, (_, i) => ({ shopperId: `w${i}`, itemId: shop.world.items[i]!.id, type: 'view' })));
    // Events, impressions and job records are written by the writes' thread, not the server thread.
    expect(server.writer.threaded).toBe(true);
    expect(server.writer.writes).toBeGreaterThan(0);
    // ...and a shopper's first read in the reads' thread; the service metrics say both
    await api.recommendations({ shopperId: shop.world.shoppers[5]!.id, k: 3 });
    const io = (await fetch(`${server.url}/api/metrics/service`, { headers: { 'x-api-key': shop.keys.admin } }).then((r) => r.json())) as { storeThreads: { writes: { threaded: boolean; done: number }; reads: { threaded: boolean; done: number } } };
    expect(io.storeThreads.writes).toMatchObject({ threaded: true });
    expect(io.storeThreads.writes.done).toBeGreaterThan(0);
    expect(io.storeThreads.reads.threaded).toBe(true);
    expect(io.storeThreads.reads.done).toBeGreaterThan(0);
    // a visitor starting a session as a shopper not seen yet: read there too
    const reads = server.reader.reads;
    const session = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shopperId: shop.world.shoppers[7]!.id }) });
    expect(((await session.json()) as { known: boolean }).known).toBe(true);
    expect(server.reader.reads).toBe(reads + 1);
    // The job host runs from the start (no fork of the server at its first job).
    if (process.platform === 'linux') expect(execFileSync('ps', ['--ppid', String(process.pid), '-o', 'args='], { encoding: 'utf8' })).toContain('job-host');
    for (let i = 0; i < 60 && server.checkpointer.runs === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.checkpointer.runs).toBeGreaterThan(0);
    expect((await api.recommendations({ shopperId: 'w3', k: 3 })).source).toBe('history');
  }, 30_000);
});
