import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlsModel } from '../recommend/als.js';
import { ArrivalFactors } from './recommend/arrival-factors.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop({ models: ['als'] });
});
afterAll(() => shop.close());

describe('ArrivalFactors', () => {
  it('reads and folds at most the budget per request, keeps what it folded until an event on the product, and folds near the fitted vectors', () => {
    const ctx = shop.app.vitrine;
    const model = ctx.models.require('als');
    let reads = 0;
    const factors = new ArrivalFactors({ interactionsWith: (id) => (reads++, shop.store.interactionsWith(id)) }, ctx.items);
    const ids = shop.world.items.slice(0, 40).map((it) => it.id);
    const pass = (): number => {
      const budget = { left: 16 };
      return ids.filter((id) => factors.vectorOf(model, id, budget) !== undefined).length;
    };
    // A shared budget per pass: 16 new reads each time, the rest later.
    const budget = { left: 16 };
    const first = ids.filter((id) => factors.vectorOf(model, id, budget) !== undefined).length;
    expect(reads).toBe(16);
    expect(budget.left).toBe(0);
    expect(first).toBeLessThanOrEqual(16);
    pass();
    expect(reads).toBe(32);
    const all = pass();
    expect(reads).toBe(40);
    expect(pass()).toBe(all);
    expect(reads).toBe(40);
    expect(all).toBeGreaterThan(30);

    // An event on one product makes just that one fold again.
    ctx.items.noteEvent(ids[3]!);
    pass();
    expect(reads).toBe(41);

    // The fold of a product the model knows lands near its fitted vector (fitted by conjugate gradient, folded exactly).
    const als = model.bundle.model as AlsModel;
    const f = als.config.factors;
    const { itemFactors } = als.factors();
    let near = 0;
    for (const id of ids) {
      const v = factors.vectorOf(model, id, { left: 0 })?.vector;
      const i = model.bundle.items.get(id)!;
      if (v === undefined) continue;
      const y = itemFactors.subarray(i * f, (i + 1) * f);
      let dot = 0;
      let nv = 0;
      let ny = 0;
      for (let j = 0; j < f; j++) [dot, nv, ny] = [dot + v[j]! * y[j]!, nv + v[j]! ** 2, ny + y[j]! ** 2];
      if (dot / Math.sqrt(nv * ny) > 0.95) near++;
    }
    expect(near).toBeGreaterThanOrEqual(all - 2);
  });
});
