import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../data/dataset.js';
import type { Item } from '../../data/schema.js';
import { generateWorld, worldEvents } from '../../data/world/index.js';
import { trainBundle } from '../../evaluate/train-bundle.js';
import { ServingModel } from './serving-model.js';

/**
 * A model's filter columns are built from the catalog on first use, not
 * when it is loaded (a trained model nobody serves costs no pass over the
 * catalog), and equal what an eager build gives; a catalog change before
 * then is simply read at that first use.
 */
describe('ServingModel columns', () => {
  it('are read from the catalog on first use, then follow its changes', async () => {
    const world = await generateWorld({ items: 40, shoppers: 20, days: 5, seed: 4 });
    const { bundle } = await trainBundle({ dataset: buildDataset('w', world.items, world.shoppers, worldEvents(world)), kind: 'als', evaluate: false, config: { factors: 4, iterations: 2 } });
    const catalog = new Map<string, Item>(world.items.map((it) => [it.id, it]));
    let lookups = 0;
    const itemOf = (id: string): Item | undefined => (lookups++, catalog.get(id));
    const m = new ServingModel('als', bundle, itemOf);
    expect(lookups).toBe(0);

    const first = m.itemIds[0]!;
    catalog.set(first, { ...catalog.get(first)!, price: 1234 });
    m.updateColumns(itemOf);
    expect(lookups).toBe(0);
    const version = m.columnsVersion;
    expect(m.price[0]).toBe(1234);
    expect(lookups).toBe(m.nItems);
    expect(m.columnsVersion).toBe(version);
    const names = [...new Set(m.itemIds.map((id) => catalog.get(id)!.category))];
    expect([...m.categoryNames].sort()).toEqual(names.sort());
    expect(m.category[0]).toBe(m.categoryCode(catalog.get(first)!.category));

    catalog.set(first, { ...catalog.get(first)!, price: 99 });
    m.updateColumns(itemOf);
    expect(m.price[0]).toBe(99);
    expect(m.columnsVersion).toBe(version + 1);
  });
});
