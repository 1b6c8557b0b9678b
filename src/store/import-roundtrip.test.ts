import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetFromBatch } from '../data/dataset.js';
import { importPath } from '../data/importers/index.js';
import { put, tmpDir } from '../data/importers/test-utils/fixtures.js';
import { openStore } from './index.js';

describe('import into the store', () => {
  it('stores an imported batch once: a second import of the same files adds no event', async () => {
    const dir = tmpDir();
    put(dir, 'u.data', '1\t10\t5\t881250949\n2\t10\t4\t881250951\n2\t30\t1\t881250952\n');
    put(dir, 'u.item', '10|Heat (1995)|15-Dec-1995||http://y|0|1\n30|Babe (1995)|01-Jan-1995||http://z|1|0\n');
    put(dir, 'u.user', '1|24|M|technician|85711\n2|53|F|other|94043\n');
    const store = openStore(join(tmpDir(), 'ws/vitrine.db'));
    const batch = await importPath(dir, { imagesDir: tmpDir() });
    expect(store.importBatch(batch)).toMatchObject({ itemsAdded: 2, shoppersAdded: 2, eventsAdded: 3 });
    const again = await importPath(dir, { imagesDir: tmpDir() });
    expect(store.importBatch(again)).toEqual({ itemsAdded: 0, itemsUpdated: 0, shoppersAdded: 0, shoppersUpdated: 0, eventsAdded: 0, eventsSkipped: 3 });
    const loaded = store.loadDataset('ml');
    const direct = datasetFromBatch('ml', batch);
    expect(loaded.events).toEqual(direct.events);
    expect(loaded.itemInfo).toEqual(direct.itemInfo);
    expect(store.imports().map((r) => r.report.rowsRead)).toEqual([7, 7]);
    store.close();
  });
});
