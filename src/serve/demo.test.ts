import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTaste, generateWorld, productAttributesOf, trueUtility } from '../data/world/index.js';
import { demoPlugin } from './plugins/demo.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * The demo shop's routes: the shoppers to pick from and, on request, a
 * shopper's hidden taste with each product's percentile in their true
 * utility (the ground truth a visitor judges recommendations by).
 */
let shop: TinyShop;

beforeAll(async () => {
  // tinyShop's world (deterministic for its config), for its hidden tastes.
  const world = await generateWorld({ items: 60, shoppers: 30, days: 5, seed: 3 });
  const tastes = new Map(world.shoppers.map((s, i) => [s.id, world.tastes[i]!]));
  shop = await tinyShop({ deps: { jobs: false, plugins: [demoPlugin({ world: { seed: 3, items: 60, shoppers: 30, days: 5 }, tastes })] } });
});
afterAll(() => shop.close());

describe('demo plugin', () => {
  it('describes the world it serves', async () => {
    expect((await shop.app.inject('/api/demo')).json()).toMatchObject({ world: { seed: 3, items: 60 }, shoppers: 30 });
  });

  it('lists the shoppers with their demographics and history size, never their taste', async () => {
    const r = (await shop.app.inject('/api/demo/shoppers?limit=5')).json() as { shoppers: Record<string, unknown>[]; total: number };
    expect(r.total).toBe(30);
    expect(r.shoppers.map((s) => s.id)).toEqual(shop.world.shoppers.slice(0, 5).map((s) => s.id));
    expect(Object.keys(r.shoppers[0]!).sort()).toEqual(['ageBand', 'id', 'products', 'region']);
    expect(r.shoppers.some((s) => (s.products as number) > 0)).toBe(true);
  });

  it("reveals a shopper's taste and each product's percentile in their true utility", async () => {
    const { world } = shop;
    const taste = world.tastes[0]!;
    const utilities = world.items.map((it) => ({ id: it.id, u: trueUtility(taste, productAttributesOf(it)) })).sort((a, b) => a.u - b.u);
    const worst = utilities[0]!.id;
    const best = utilities[utilities.length - 1]!.id;
    const r = (await shop.app.inject(`/api/demo/shoppers/${world.shoppers[0]!.id}/taste?items=${best},${worst},nope`)).json();
    expect(r.description).toBe(describeTaste(taste));
    expect(r.utility).toEqual({ [best]: 1, [worst]: 0 });
    expect(r.categories[0].weight).toBe(Math.max(...Object.values(taste.categories)));
  });

  it('answers 404 for a shopper of no demo world and 400 for too many products', async () => {
    expect((await shop.app.inject('/api/demo/shoppers/anon-x/taste')).statusCode).toBe(404);
    const many = Array.from({ length: 201 }, (_, i) => `p${i}`).join(',');
    expect((await shop.app.inject(`/api/demo/shoppers/${shop.world.shoppers[0]!.id}/taste?items=${many}`)).statusCode).toBe(400);
  });
});
