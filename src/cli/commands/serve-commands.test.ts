import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';
import { captureCli } from '../test-utils/cli-capture.js';

/** The service's commands: keys, simulate-ab, and serve's error path (serving itself is tested through buildApp). */
const root = mkdtempSync(join(tmpdir(), 'vitrine-cli-serve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { io, run } = captureCli();

describe('vitrine keys', () => {
  it('creates a key, prints it once, stores only its hash; lists and revokes', async () => {
    const ws = join(root, 'keys');
    expect(await run('keys', 'create', '--role', 'seller', '--label', 'shop front', '-w', ws)).toBe(0);
    const key = io.out.trim();
    expect(key).toMatch(/^vk_k[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(io.err).toMatch(/shown only now/);
    const id = key.slice(3, 12);
    const store = openStore(join(ws, 'vitrine.db'), { readonly: true });
    expect(store.getApiKey(id)).toMatchObject({ role: 'seller', label: 'shop front' });
    expect(store.getApiKey(id)!.hash).not.toContain(key.slice(13));
    store.close();
    io.out = '';
    expect(await run('keys', 'list', '-w', ws)).toBe(0);
    expect(io.out).toContain(id);
    expect(io.out).not.toContain(key.slice(13));
    expect(await run('keys', 'revoke', id, '-w', ws)).toBe(0);
    expect(await run('keys', 'revoke', 'knothere', '-w', ws)).toBe(2);
    expect(io.err).toMatch(/UNKNOWN_ID/);
    expect(await run('keys', 'create', '--role', 'root', '-w', ws)).toBe(2);
  });
});

describe('vitrine serve', () => {
  it('names a missing store with a hint instead of serving nothing', async () => {
    expect(await run('serve', '-w', join(root, 'empty'), '--port', '0')).toBe(2);
    expect(io.err).toMatch(/DATASET_NOT_FOUND/);
    expect(io.err).toMatch(/vitrine demo/);
  });
});

describe('vitrine simulate-ab', () => {
  it('prints CTR, conversion and order value per variant with intervals, as JSON', async () => {
    expect(await run('simulate-ab', '--variants', 'random,pop', '--shoppers', '150', '--days', '2', '--items', '100', '--history-days', '10', '--json')).toBe(0);
    const r = JSON.parse(io.out) as { variants: { variant: string; ctr: { rate: number; lo: number; hi: number }; conversion: { rate: number }; aov: { mean: number } }[]; lifts: unknown[] };
    expect(r.variants.map((v) => v.variant)).toEqual(['random', 'pop']);
    expect(r.variants[0]!.ctr.lo).toBeLessThanOrEqual(r.variants[0]!.ctr.rate);
    expect(r.lifts).toHaveLength(1);
  });

  it('names an unknown variant with the ones it knows', async () => {
    expect(await run('simulate-ab', '--variants', 'als,nosuchmodel', '--shoppers', '20', '--days', '1')).toBe(2);
    expect(io.err).toMatch(/nosuchmodel/);
    expect(io.err).toMatch(/visual-hybrid/);
  });
});
