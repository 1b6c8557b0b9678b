import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../store/index.js';
import { main } from '../main.js';

/** The service's commands: keys, simulate-ab, and serve's error path (serving itself is tested through buildApp). */
const root = mkdtempSync(join(tmpdir(), 'vitrine-cli-serve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
});
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]): Promise<number> => main(['node', 'vitrine', ...args]);

describe('vitrine keys', () => {
  it('creates a key, prints it once, stores only its hash; lists and revokes', async () => {
    const ws = join(root, 'keys');
    expect(await run('keys', 'create', '--role', 'seller', '--label', 'shop front', '-w', ws)).toBe(0);
    const key = out.trim();
    expect(key).toMatch(/^vk_k[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(err).toMatch(/shown only now/);
    const id = key.slice(3, 12);
    const store = openStore(join(ws, 'vitrine.db'), { readonly: true });
    expect(store.getApiKey(id)).toMatchObject({ role: 'seller', label: 'shop front' });
    expect(store.getApiKey(id)!.hash).not.toContain(key.slice(13));
    store.close();
    out = '';
    expect(await run('keys', 'list', '-w', ws)).toBe(0);
    expect(out).toContain(id);
    expect(out).not.toContain(key.slice(13));
    expect(await run('keys', 'revoke', id, '-w', ws)).toBe(0);
    expect(await run('keys', 'revoke', 'knothere', '-w', ws)).toBe(2);
    expect(err).toMatch(/UNKNOWN_ID/);
    expect(await run('keys', 'create', '--role', 'root', '-w', ws)).toBe(2);
  });
});

describe('vitrine serve', () => {
  it('names a missing store with a hint instead of serving nothing', async () => {
    expect(await run('serve', '-w', join(root, 'empty'), '--port', '0')).toBe(2);
    expect(err).toMatch(/DATASET_NOT_FOUND/);
    expect(err).toMatch(/vitrine demo/);
  });
});

describe('vitrine simulate-ab', () => {
  it('prints CTR, conversion and order value per variant with intervals, as JSON', async () => {
    expect(await run('simulate-ab', '--variants', 'random,pop', '--shoppers', '150', '--days', '2', '--items', '100', '--history-days', '10', '--json')).toBe(0);
    const r = JSON.parse(out) as { variants: { variant: string; ctr: { rate: number; lo: number; hi: number }; conversion: { rate: number }; aov: { mean: number } }[]; lifts: unknown[] };
    expect(r.variants.map((v) => v.variant)).toEqual(['random', 'pop']);
    expect(r.variants[0]!.ctr.lo).toBeLessThanOrEqual(r.variants[0]!.ctr.rate);
    expect(r.lifts).toHaveLength(1);
  });

  it('names an unknown variant with the ones it knows', async () => {
    expect(await run('simulate-ab', '--variants', 'als,nosuchmodel', '--shoppers', '20', '--days', '1')).toBe(2);
    expect(err).toMatch(/nosuchmodel/);
    expect(err).toMatch(/visual-hybrid/);
  });
});
