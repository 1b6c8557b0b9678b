import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { worldImporter } from './world.js';
import { jpeg, junk, put, rejection, tmpDir } from './test-utils/fixtures.js';

const opts = { imagesDir: '/nonexistent' };

async function worldFolder(imagesRendered = true): Promise<string> {
  const dir = tmpDir();
  put(dir, 'world.json', JSON.stringify({ format: 'vitrine-world', version: 1, seed: 7, items: 3, shoppers: 2, days: 2, startTime: 0, imagesRendered }));
  const item = (id: string, extra: object = {}): string =>
    JSON.stringify({ id, title: `Item ${id}`, category: 'dress', attributes: { primaryColour: 'red', length: 2 }, caption: 'A red dress.', price: 40, image: `images/${id}.png`, createdAt: 0, ...extra });
  put(dir, 'items.jsonl', [item('p000001'), item('p000002'), item('p000003', { category: '' }), item('p000004', { price: -3 })].join('\n'));
  put(dir, 'shoppers.jsonl', `${JSON.stringify({ id: 's00001', attributes: { ageBand: '25-34', region: 'north' }, createdAt: 0 })}\n{broken\n`);
  put(dir, 'events.csv', [
    'key,shopperId,itemId,type,ts,value,price,sessionId',
    'e1,s00001,p000001,view,1000,1,,sess1',
    'e2,s00001,p000001,purchase,2000,1,40,sess1',
    'e2,s00001,p000001,purchase,2000,1,40,sess1',
    'e3,s00002,p000009,view,3000,1,,sess2',
    'e4,s00002,p000002,wish,3000,1,,sess2',
    'e5,s00002,p000002,click,,1,,sess2',
  ].join('\n'));
  await jpeg(join(dir, 'images/p000001.png'));
  put(dir, 'images/p000002.png', junk(300));
  put(dir, 'truth/tastes.jsonl', 'never read');
  return dir;
}

describe('world importer', () => {
  it('reads items, shoppers and events as written, with exact counts', async () => {
    const dir = await worldFolder();
    expect(worldImporter.detect(dir)).toBe(true);
    const batch = await worldImporter.read(dir, opts);
    const r = batch.report;
    // 4 items + 2 shopper lines + 6 events.
    expect(r.rowsRead).toBe(12);
    expect(r.dropped).toEqual({ duplicate: 1, missingField: 2, unknownId: 1, badValue: 3, unreadableImage: 1 });
    expect(r.rowsKept).toBe(5);
    expect(batch.events.map((e) => e.key)).toEqual(['e1', 'e2']);
    expect(batch.events[1]).toEqual({ key: 'e2', shopperId: 's00001', itemId: 'p000001', type: 'purchase', ts: 2000, value: 1, price: 40, sessionId: 'sess1' });
    expect(batch.items.map((i) => i.image)).toEqual([join(dir, 'images/p000001.png'), null]);
    expect(batch.items[0]!.attributes).toEqual({ primaryColour: 'red', length: 2 });
    expect(batch.shoppers).toEqual([{ id: 's00001', attributes: { ageBand: '25-34', region: 'north' }, createdAt: 0 }]);
  });

  it('keeps image references of a lazily rendered world unchecked', async () => {
    const dir = await worldFolder(false);
    const batch = await worldImporter.read(dir, opts);
    expect(batch.report.dropped.unreadableImage).toBe(0);
    expect(batch.items[1]!.image).toBe(join(dir, 'images/p000002.png'));
  });

  it('is not detected without a vitrine-world world.json, and refuses such a folder', async () => {
    const dir = tmpDir();
    put(dir, 'world.json', '{"format": "something-else"}');
    expect(worldImporter.detect(dir)).toBe(false);
    expect((await rejection(worldImporter.read(dir, opts))).code).toBe('MALFORMED_INPUT');
  });
});
