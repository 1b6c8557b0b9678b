import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleId, hmImporter } from './hm.js';
import { jpeg, junk, put, rejection, tmpDir } from './test-utils/fixtures.js';

const opts = { imagesDir: '/nonexistent' };
const ARTICLE_HEADER = 'article_id,product_code,prod_name,product_type_name,product_group_name,colour_group_name,graphical_appearance_name,department_name,index_group_name,garment_group_name,detail_desc';

async function hmFolder(): Promise<string> {
  const dir = tmpDir();
  put(dir, 'articles_sample.csv', [
    ARTICLE_HEADER,
    '0111565001,111565,20 den 1p Stockings,Underwear Tights,Socks & Tights,Black,Solid,Tights basic,Ladieswear,Socks and Tights,"Semi shiny, 20 denier."',
    '0222222002,222222,"Dress, ""Ava""",Dress,Garment Full body,Red,Solid,Dresses,Ladieswear,Dresses,"Long dress.\nWith a slit."',
    ',333,No id,Top,Upper,Blue,Solid,Tops,Ladieswear,Jersey,none',
  ].join('\r\n'));
  put(dir, 'customers_sample.csv', 'customer_id,FN,Active,club_member_status,fashion_news_frequency,age,postal_code\nc1,1.0,1.0,ACTIVE,Regularly,21.0,p1\nc2,,,PRE-CREATE,NONE,,p2\n');
  put(dir, 'transactions_train_sample.csv', [
    't_dat,customer_id,article_id,price,sales_channel_id',
    '2020-09-20,c1,0111565001,0.02,2',
    '2020-09-20,c1,0111565001,0.02,2', // a repeat purchase, not a duplicate
    '2020-09-21,c2,222222002,0.05,1', // leading zero lost: still article 0222222002
    '2020-09-21,,0111565001,0.02,1', // missing customer
    '2020-09-22,c1,0999999001,0.01,2', // unknown article
    '2020-09-22,c1,0111565001,-1,2', // negative price
    'yesterday,c3,0111565001,0.03,2', // bad date
  ].join('\n'));
  await jpeg(join(dir, 'images/011/0111565001.jpg'));
  put(dir, 'images/022/0222222002.jpg', junk(500)); // corrupt image
  return dir;
}

describe('hm importer', () => {
  it('reads articles (quoted fields, string ids), customers and purchases with exact counts', async () => {
    const dir = await hmFolder();
    expect(hmImporter.detect(dir)).toBe(true);
    const batch = await hmImporter.read(dir, opts);
    const r = batch.report;
    // 3 article rows + 2 customers + 7 transactions.
    expect(r.rowsRead).toBe(12);
    expect(r.dropped).toEqual({ duplicate: 0, missingField: 2, unknownId: 1, badValue: 2, unreadableImage: 1 });
    expect(r.rowsKept).toBe(7);
    expect(r).toMatchObject({ items: 2, shoppers: 2, events: 3, images: 1 });
    expect(r.examples.unknownId).toEqual(['transactions_train_sample.csv line 6: article 0999999001 is not in the articles file']);
    expect(batch.events.map((e) => e.key)).toEqual([
      'hm:c1:0111565001:2020-09-20:0',
      'hm:c1:0111565001:2020-09-20:1',
      'hm:c2:0222222002:2020-09-21:0',
    ]);
    expect(batch.events[0]).toMatchObject({ type: 'purchase', value: 1, price: 0.02, ts: Date.UTC(2020, 8, 20), sessionId: 'c1:2020-09-20:2' });
    const [stockings, dress] = batch.items;
    expect(stockings).toMatchObject({ id: '0111565001', title: '20 den 1p Stockings', category: 'Underwear Tights', caption: 'Semi shiny, 20 denier.', price: 0.02 });
    expect(stockings!.image).toBe(join(dir, 'images/011/0111565001.jpg'));
    expect(stockings!.attributes).toEqual({ productGroup: 'Socks & Tights', colour: 'Black', graphicalAppearance: 'Solid', department: 'Tights basic', indexGroup: 'Ladieswear', garmentGroup: 'Socks and Tights' });
    expect(dress).toMatchObject({ title: 'Dress, "Ava"', caption: 'Long dress.\nWith a slit.', image: null });
    expect(batch.shoppers[0]!.attributes).toEqual({ age: 21, ageBand: '18-24', clubMemberStatus: 'ACTIVE', fashionNewsFrequency: 'REGULARLY', postalCode: 'p1' });
    expect(batch.shoppers[1]!.attributes).toEqual({ clubMemberStatus: 'PRE-CREATE', fashionNewsFrequency: 'NONE', postalCode: 'p2' });
  });

  it('gives the same keys on a second import', async () => {
    const dir = await hmFolder();
    const a = await hmImporter.read(dir, opts);
    const b = await hmImporter.read(dir, opts);
    expect(b.events.map((e) => e.key)).toEqual(a.events.map((e) => e.key));
  });

  it('fails with MALFORMED_INPUT when the transactions file lacks its columns or is binary', async () => {
    const dir = await hmFolder();
    put(dir, 'transactions_train_sample.csv', 'date,who\n1,2\n');
    const e = await rejection(hmImporter.read(dir, opts));
    expect(e.code).toBe('MALFORMED_INPUT');
    expect(e.message).toMatch(/transactions_train_sample\.csv .*t_dat/);
    put(dir, 'transactions_train_sample.csv', junk());
    expect((await rejection(hmImporter.read(dir, opts))).code).toBe('MALFORMED_INPUT');
  });

  it('restores the leading zero of article ids', () => {
    expect(articleId('108775015')).toBe('0108775015');
    expect(articleId('0108775015')).toBe('0108775015');
  });
});
