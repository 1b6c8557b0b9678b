import { describe, expect, it } from 'vitest';
import { genericImporter } from './generic.js';
import { parseMapping } from './mapping.js';
import { gz, put, rejection, tmpDir } from './test-utils/fixtures.js';

const imagesDir = '/nonexistent';

describe('generic importer', () => {
  it('maps CSV columns, reads seconds, ms and ISO dates, and counts drops exactly', async () => {
    const path = put(tmpDir(), 'orders.csv', [
      'customer,sku,time,kind,amount',
      'u1,a,1600000000,purchase,9.5',
      'u1,b,1600000000000,view,',
      'u2,a,2020-09-13T12:26:40Z,cart,',
      'u2,a,2020-09-13 12:26:40,cart,', // same instant (UTC when no zone): a duplicate
      'u3,,1600000000,view,', // missing item
      'u3,c,soon,view,', // bad date
      'u3,c,1600000000,wish,', // bad type
      'u3,c,1600000000,purchase,-2', // negative price
    ].join('\n'));
    const mapping = parseMapping('user=customer,item=sku,ts=time,type=kind,price=amount');
    const batch = await genericImporter.read(path, { imagesDir, mapping });
    expect(batch.report.dropped).toEqual({ duplicate: 1, missingField: 1, unknownId: 0, badValue: 3, unreadableImage: 0 });
    expect(batch.report).toMatchObject({ rowsRead: 8, rowsKept: 3, events: 3, items: 2, shoppers: 2 });
    expect(batch.events.map((e) => [e.key, e.ts, e.type, e.price])).toEqual([
      ['gen:u1:a:purchase:1600000000000', 1600000000000, 'purchase', 9.5],
      ['gen:u1:b:view:1600000000000', 1600000000000, 'view', null],
      ['gen:u2:a:cart:1600000000000', 1600000000000, 'cart', null],
    ]);
  });

  it('reads JSON Lines (.gz); without ts, repeats are kept with occurrence keys', async () => {
    const lines = [{ u: 1, i: 'x', r: 4 }, { u: 1, i: 'x', r: 5 }, { u: 2, i: 'x', r: 'bad' }].map((o) => JSON.stringify(o));
    const path = put(tmpDir(), 'ev.jsonl.gz', gz(lines.join('\n')));
    const batch = await genericImporter.read(path, { imagesDir, mapping: { user: 'u', item: 'i', value: 'r' } });
    expect(batch.events.map((e) => [e.key, e.type, e.value, e.ts])).toEqual([
      ['gen:1:x:rating:n0', 'rating', 4, 1],
      ['gen:1:x:rating:n1', 'rating', 5, 2],
    ]);
    expect(batch.report.dropped.badValue).toBe(1);
  });

  it('needs a mapping whose columns exist', async () => {
    const path = put(tmpDir(), 'a.csv', 'customer,sku\nu1,a\n');
    expect((await rejection(genericImporter.read(path, { imagesDir }))).code).toBe('INVALID_ARGUMENT');
    const e = await rejection(genericImporter.read(path, { imagesDir, mapping: { user: 'user', item: 'sku' } }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.hint).toContain('customer, sku');
  });
});

describe('parseMapping', () => {
  it('parses field=column pairs', () => {
    expect(parseMapping(' user=customer, item=sku,ts=time ')).toEqual({ user: 'customer', item: 'sku', ts: 'time' });
  });

  it('rejects unknown, repeated, empty and missing fields', () => {
    for (const bad of ['user=a,item=b,colour=c', 'user=a,user=b,item=c', 'user=,item=b', 'item=b']) {
      expect(() => parseMapping(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
