import { describe, expect, it } from 'vitest';
import { movielensImporter } from './movielens.js';
import { junk, put, rejection, tmpDir } from './test-utils/fixtures.js';

const opts = { imagesDir: '/nonexistent' };

/** 7 rating rows: 3 good, 1 missing field, 1 non-numeric rating, 1 duplicate, 1 unknown movie. */
function ml100k(): string {
  const dir = tmpDir();
  put(dir, 'u.data', ['1\t10\t5\t881250949', '1\t20\t3\t881250950', '2\t10\t4\t881250951', '2\t20\t3', '3\t10\tx\t881250952', '1\t10\t5\t881250949', '3\t99\t2\t881250953', ''].join('\n'));
  // latin-1 é in the title; genres: flags for unknown, Action, Adventure.
  const item = Buffer.concat([
    Buffer.from('10|Caf'), Buffer.from([0xe9]), Buffer.from(' Society (1995)|01-Jan-1995||http://x|0|0|1\n'),
    Buffer.from('20|Heat (1995)|15-Dec-1995||http://y|0|1|1\n'),
  ]);
  put(dir, 'u.item', item);
  put(dir, 'u.genre', 'unknown|0\nAction|1\nAdventure|2\n\n');
  put(dir, 'u.user', '1|24|M|technician|85711\n2|53|F|other|94043\n');
  return dir;
}

describe('movielens importer', () => {
  it('loads u.data with u.item (latin-1) and u.user, and counts drops exactly', async () => {
    const batch = await movielensImporter.read(`${ml100k()}/u.data`, opts);
    const r = batch.report;
    expect(r.dropped).toEqual({ duplicate: 1, missingField: 1, unknownId: 1, badValue: 1, unreadableImage: 0 });
    // 2 movies + 2 users + 7 ratings.
    expect(r.rowsRead).toBe(11);
    expect(r.rowsKept).toBe(7);
    expect(r.rowsRead).toBe(r.rowsKept + r.dropped.duplicate + r.dropped.missingField + r.dropped.unknownId + r.dropped.badValue);
    expect(r.examples.badValue?.[0]).toBe('u.data line 5: rating "x" is not a number in 0.5..5');
    expect(r.examples.unknownId?.[0]).toContain('u.data line 7');
    expect(batch.events.map((e) => e.key)).toEqual(['ml:1:10:881250949000', 'ml:1:20:881250950000', 'ml:2:10:881250951000']);
    expect(batch.events[0]).toMatchObject({ type: 'rating', value: 5, ts: 881250949000, shopperId: '1', itemId: '10' });
    const cafe = batch.items.find((it) => it.id === '10')!;
    expect(cafe.title).toBe('Café Society (1995)');
    expect(cafe.category).toBe('Adventure');
    expect(cafe.attributes).toEqual({ year: 1995, 'genre:unknown': 0, 'genre:Action': 0, 'genre:Adventure': 1 });
    expect(cafe.createdAt).toBe(Date.UTC(1995, 0, 1));
    expect(batch.shoppers[1]).toEqual({ id: '2', attributes: { ageBand: '45-54', age: 53, gender: 'F', occupation: 'other', zip: '94043', region: 'zip9' }, createdAt: null });
    expect(r).toMatchObject({ items: 2, shoppers: 2, events: 3 });
  });

  it('gives the same keys on a second import', async () => {
    const dir = ml100k();
    const a = await movielensImporter.read(dir, opts);
    const b = await movielensImporter.read(dir, opts);
    expect(b.events.map((e) => e.key)).toEqual(a.events.map((e) => e.key));
  });

  it('reads ratings.dat with movies.dat and users.dat (age codes, occupation codes)', async () => {
    const dir = tmpDir();
    put(dir, 'ratings.dat', '1::1193::5::978300760\n1::661::3::978302109\n2::1193::9::978300000\n');
    put(dir, 'movies.dat', '1193::One Flew Over the Cuckoo\'s Nest (1975)::Drama\n661::James and the Giant Peach (1996)::Animation|Children\'s|Musical\n');
    put(dir, 'users.dat', '1::F::1::10::48067\n2::M::56::16::70072\n');
    const batch = await movielensImporter.read(`${dir}/ratings.dat`, { ...opts });
    expect(batch.events).toHaveLength(2);
    expect(batch.report.dropped.badValue).toBe(1);
    expect(batch.items.find((i) => i.id === '661')!.attributes).toMatchObject({ 'genre:Animation': 1, 'genre:Drama': 0, year: 1996 });
    expect(batch.shoppers[0]!.attributes).toEqual({ ageBand: 'under 18', gender: 'F', occupation: 'K-12 student', zip: '48067', region: 'zip4' });
    expect(batch.shoppers[1]!.attributes.ageBand).toBe('55-64');
  });

  it('reads ratings.csv without a catalog (no unknownId drops) and respects limit', async () => {
    const dir = tmpDir();
    put(dir, 'ratings.csv', 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,0.5,964981247\n1,6,6,964982224\n2,7,4.5,964982931\n');
    expect(await movielensImporter.detect(`${dir}/ratings.csv`)).toBe(true);
    const all = await movielensImporter.read(dir, opts);
    expect(all.events.map((e) => e.value)).toEqual([4, 0.5, 4.5]);
    expect(all.report.dropped.badValue).toBe(1);
    expect(all.items).toHaveLength(0);
    const two = await movielensImporter.read(dir, { ...opts, limit: 2 });
    expect(two.report.rowsRead).toBe(2);
  });

  it('fails with MALFORMED_INPUT on binary data and on a ratings.csv without its header', async () => {
    const dir = tmpDir();
    put(dir, 'u.data', junk());
    expect((await rejection(movielensImporter.read(dir, opts))).code).toBe('MALFORMED_INPUT');
    const dir2 = tmpDir();
    put(dir2, 'ratings.csv', 'a,b\n1,2\n');
    const e = await rejection(movielensImporter.read(`${dir2}/ratings.csv`, opts));
    expect(e.code).toBe('MALFORMED_INPUT');
    expect(e.message).toContain('ratings.csv');
  });
});
