import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWorldImages } from './images.js';
import { renderProductPng } from './render.js';
import { productAttributesOf, trueUtility } from './utility.js';
import { generateWorld, worldEvents, type World } from './world.js';
import { EVENTS_CSV_HEADER, readWorldItems, readWorldManifest, readWorldTastes, WORLD_FILES } from './world-files.js';
import { writeWorld } from './write.js';

const TINY = { items: 40, shoppers: 30, days: 5, seed: 7 };

describe('writeWorld', () => {
  let root: string;
  let world: World;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vitrine-world-'));
    world = await generateWorld(TINY);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

  it('writes the documented files with counts matching world.json', async () => {
    const dir = join(root, 'w1');
    const manifest = await writeWorld(world, dir);
    for (const f of Object.values(WORLD_FILES)) expect(existsSync(join(dir, f)), f).toBe(true);
    const m = readWorldManifest(dir);
    expect(m).toEqual(manifest);
    expect(m).toMatchObject({ format: 'vitrine-world', version: 1, seed: 7, items: 40, shoppers: 30, days: 5, imagesRendered: true });
    expect(lines(join(dir, WORLD_FILES.items))).toHaveLength(m.counts.items);
    expect(lines(join(dir, WORLD_FILES.shoppers))).toHaveLength(m.counts.shoppers);
    const csv = lines(join(dir, WORLD_FILES.events));
    expect(csv[0]).toBe(EVENTS_CSV_HEADER);
    expect(csv).toHaveLength(m.counts.events + 1);
    expect(csv[1]).toMatch(/^w7:1,s\d{5},p\d{6},(view|click|cart|purchase),\d+,1,\d+\.\d{2},s\d{5}-\d+$/);
    const parsed = csv.slice(1).map((line) => {
      const [key, shopperId, itemId, type, ts, value, price, sessionId] = line.split(',');
      return { key, shopperId, itemId, type, ts: Number(ts), value: Number(value), price: Number(price), sessionId };
    });
    expect(parsed).toEqual(worldEvents(world));
    expect(readdirSync(join(dir, WORLD_FILES.images))).toHaveLength(40);
    expect(readWorldItems(dir)).toEqual(world.items);
    const png = readFileSync(join(dir, world.items[0]!.image!));
    expect(png.equals(await renderProductPng(world.items[0]!, 128, { seed: 7 }))).toBe(true);
  });

  it('is byte-identical for the same seed', async () => {
    const a = join(root, 'same-a');
    const b = join(root, 'same-b');
    await writeWorld(world, a);
    await writeWorld(await generateWorld(TINY), b);
    for (const f of [WORLD_FILES.manifest, WORLD_FILES.items, WORLD_FILES.events, WORLD_FILES.tastes, 'images/p000007.png']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
  });

  it('keeps the hidden tastes apart and reads them back exactly', async () => {
    const dir = join(root, 'w2');
    await writeWorld(world, dir, { renderImages: false });
    expect(readFileSync(join(dir, WORLD_FILES.shoppers), 'utf8')).not.toContain('categories');
    const tastes = readWorldTastes(dir);
    expect(tastes.size).toBe(30);
    const s = world.shoppers[3]!;
    const p = productAttributesOf(world.items[5]!);
    expect(trueUtility(tastes.get(s.id)!, p)).toBe(trueUtility(world.tastes[3]!, p));
  });

  it('renders images lazily later', async () => {
    const dir = join(root, 'lazy');
    await writeWorld(world, dir, { renderImages: false });
    expect(readWorldManifest(dir).imagesRendered).toBe(false);
    expect(readdirSync(join(dir, WORLD_FILES.images))).toHaveLength(0);
    const seen: number[] = [];
    expect(await renderWorldImages(dir, { onProgress: (p) => seen.push(p.done) })).toBe(40);
    expect(seen.at(-1)).toBe(40);
    expect(readWorldManifest(dir).imagesRendered).toBe(true);
    expect(readdirSync(join(dir, WORLD_FILES.images))).toHaveLength(40);
    expect(await renderWorldImages(dir)).toBe(0);
  });

  it('replaces an earlier world, but refuses a folder that is not a world', async () => {
    const dir = join(root, 'w3');
    await writeWorld(world, dir, { renderImages: false });
    writeFileSync(join(dir, 'stale.txt'), 'x');
    await writeWorld(await generateWorld({ ...TINY, items: 20 }), dir, { renderImages: false });
    expect(existsSync(join(dir, 'stale.txt'))).toBe(false);
    expect(readWorldManifest(dir).counts.items).toBe(20);
    const other = join(root, 'not-a-world');
    mkdirSync(other);
    writeFileSync(join(other, 'precious.txt'), 'keep me');
    await expect(writeWorld(world, other)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(readFileSync(join(other, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  it('leaves the old world intact when writing fails', async () => {
    const dir = join(root, 'w4');
    await writeWorld(world, dir, { renderImages: false });
    const ctl = new AbortController();
    ctl.abort();
    await expect(writeWorld(world, dir, { signal: ctl.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(readWorldManifest(dir).counts.items).toBe(40);
    expect(readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('fails with FILE_NOT_FOUND reading a folder that is not a world', () => {
    expect(() => readWorldTastes(root)).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });
});
