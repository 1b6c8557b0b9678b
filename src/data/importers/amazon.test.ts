import { describe, expect, it } from 'vitest';
import { amazonImporter, categoryFromFileName } from './amazon.js';
import { gz, put, rejection, tmpDir, truncatedGz } from './test-utils/fixtures.js';

const opts = { imagesDir: '/nonexistent' };

const review = (o: Record<string, unknown>): string =>
  JSON.stringify({ overall: 5.0, reviewerID: 'U1', asin: 'A1', unixReviewTime: 1441324800, summary: 'Lovely', ...o });

/** 7 lines: 3 good, a repeated variant (duplicate), a missing asin, a bad rating, broken JSON. */
const LINES = [
  review({ style: { 'Color:': ' Blue', 'Size:': ' M' } }),
  review({ style: { 'Color:': ' Red', 'Size:': ' M' } }),
  review({ reviewerID: 'U2', style: { 'Color:': ' Red' }, summary: 'Five Stars', reviewText: 'Fits well and washes fine' }),
  review({ reviewerID: 'U2', asin: 'A2', overall: 3, unixReviewTime: 1441411200 }),
  review({ reviewerID: 'U3', asin: undefined }),
  review({ reviewerID: 'U3', overall: 'great' }),
  '{"overall": 5.0, "reviewerID": ',
];

describe('amazon importer', () => {
  it('reads JSON Lines .gz, derives items from asins and counts drops exactly', async () => {
    const path = put(tmpDir(), 'AMAZON_FASHION_5.json.gz', gz(LINES.join('\n')));
    expect(await amazonImporter.detect(path)).toBe(true);
    const batch = await amazonImporter.read(path, opts);
    const r = batch.report;
    expect(r).toMatchObject({ rowsRead: 7, rowsKept: 3, items: 2, shoppers: 2, events: 3 });
    expect(r.dropped).toEqual({ duplicate: 1, missingField: 1, unknownId: 0, badValue: 2, unreadableImage: 0 });
    expect(r.examples.duplicate?.[0]).toBe('AMAZON_FASHION_5.json.gz line 2: event amz:U1:A1:1441324800 appears again');
    expect(batch.events.map((e) => e.key)).toEqual(['amz:U1:A1:1441324800', 'amz:U2:A1:1441324800', 'amz:U2:A2:1441411200']);
    expect(batch.events[2]).toMatchObject({ type: 'rating', value: 3, ts: 1441411200000 });
    const a1 = batch.items.find((i) => i.id === 'A1')!;
    // Blue (kept row 1) and Red (kept row 3): a tie goes to the first seen.
    expect(a1.attributes).toEqual({ colour: 'Blue', size: 'M' });
    expect(a1.category).toBe('fashion');
    expect(a1.caption).toBe('Lovely / Fits well and washes fine');
  });

  it('reads a JSON array file the same way', async () => {
    const dir = tmpDir();
    const arr = put(dir, 'reviews.json', `[${LINES.slice(0, 4).join(',\n')}]`);
    const batch = await amazonImporter.read(arr, opts);
    expect(batch.events).toHaveLength(3);
    expect(batch.report.rowsRead).toBe(4);
  });

  it('fails with MALFORMED_INPUT on a truncated gzip and on a file that is not JSON', async () => {
    const dir = tmpDir();
    const cut = put(dir, 'cut.jsonl.gz', truncatedGz(LINES.slice(0, 4).join('\n').repeat(50)));
    const e = await rejection(amazonImporter.read(cut, opts));
    expect(e.code).toBe('MALFORMED_INPUT');
    expect(e.message).toContain('cut.jsonl.gz');
    const text = put(dir, 'notes.jsonl', 'hello\n'.repeat(30));
    expect((await rejection(amazonImporter.read(text, opts))).code).toBe('MALFORMED_INPUT');
  });

  it('names the category after the file', () => {
    expect(categoryFromFileName('/x/Clothing_Shoes_and_Jewelry_5.json.gz')).toBe('clothing shoes and jewelry');
    expect(categoryFromFileName('AMAZON_FASHION.json')).toBe('fashion');
  });
});
