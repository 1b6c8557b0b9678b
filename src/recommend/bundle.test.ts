import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyReport } from '../data/schema.js';
import { generateWorld, worldEvents } from '../data/world/index.js';
import { trainBundle } from '../evaluate/train-bundle.js';
import { openStore } from '../store/index.js';
import { loadBundle, saveBundle, savedBundleNames } from './bundle.js';

/** A models folder: bundles saved and listed (half-written ones left out), and read back the same. */
const dir = mkdtempSync(join(tmpdir(), 'vitrine-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model bundles on disk', () => {
  it('lists the saved bundles only and reads one back as it was', async () => {
    const world = await generateWorld({ items: 30, shoppers: 10, days: 3, seed: 2 });
    const store = openStore(join(dir, 'vitrine.db'));
    store.importBatch({ items: world.items, shoppers: world.shoppers, events: worldEvents(world), report: emptyReport('test', 'world') });
    const { bundle } = await trainBundle({ dataset: store.loadDataset(), kind: 'als', evaluate: false, config: { factors: 4, iterations: 3 } });
    store.close();
    const models = join(dir, 'models');
    expect(savedBundleNames(models)).toEqual([]);
    await saveBundle(join(models, 'b'), bundle);
    await saveBundle(join(models, 'a'), bundle);
    cpSync(join(models, 'a'), join(models, 'a.tmp-123'), { recursive: true }); // a save cut short
    mkdirSync(join(models, 'empty'));
    expect(savedBundleNames(models)).toEqual(['a', 'b']);
    const back = await loadBundle(join(models, 'a'));
    expect(back.items.toJSON()).toEqual(bundle.items.toJSON());
    expect(Array.from(back.popularity)).toEqual(Array.from(bundle.popularity));
    expect(Array.from(back.model.scoreUser(3))).toEqual(Array.from(bundle.model.scoreUser(3)));
  });
});
