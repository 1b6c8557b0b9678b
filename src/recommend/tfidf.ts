/**
 * TF-IDF of item text (titles and captions) for the content model: lower-
 * cased word tokens, English stop words dropped, sublinear term frequency
 * 1 + ln tf, smoothed idf ln((1 + N) / (1 + df)) + 1 (scikit-learn's
 * TfidfVectorizer defaults), a vocabulary of the `maxVocab` most frequent
 * terms with df >= minDf. The fitted vocabulary and idf (TfidfSpace) weigh
 * the text of a product added later the same way (tfidfRow).
 */

const STOP_WORDS = new Set(
  ('a an and are as at be but by for from has have in is it its of on or that the this to was were will with ' +
    'not no so than then there these they those which who what when where while into over under very can')
    .split(' '),
);

/** Word tokens of a text: letters and digits, lower-cased, at least two characters, stop words removed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const t of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (t.length >= 2 && !STOP_WORDS.has(t)) out.push(t);
  }
  return out;
}

export interface TfidfOptions {
  maxVocab: number;
  minDf: number;
}

/** A fitted vocabulary: vocab[k] and its idf[k]. */
export interface TfidfSpace {
  vocab: string[];
  idf: number[];
}

/** Sparse TF-IDF entries of one text: term indices (ascending) and weights. */
export interface TfidfRow {
  terms: number[];
  weights: number[];
}

/** Per item: sparse TF-IDF entries (term index, weight), plus the vocabulary. */
export interface TfidfResult {
  vocab: string[];
  rows: TfidfRow[];
}

/** The vocabulary and idf of tokenised documents. */
export function fitTfidf(docs: readonly (readonly string[])[], opts: TfidfOptions): TfidfSpace {
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= opts.minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxVocab)
    .map(([t]) => t);
  const n = docs.length;
  return { vocab, idf: vocab.map((t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1) };
}

/** The TF-IDF entries of one tokenised document in a fitted space (`index`: term → its index, see termIndex). */
export function tfidfRow(space: TfidfSpace, index: ReadonlyMap<string, number>, tokens: readonly string[]): TfidfRow {
  const tf = new Map<number, number>();
  for (const t of tokens) {
    const k = index.get(t);
    if (k !== undefined) tf.set(k, (tf.get(k) ?? 0) + 1);
  }
  const terms = [...tf.keys()].sort((a, b) => a - b);
  return { terms, weights: terms.map((k) => (1 + Math.log(tf.get(k)!)) * space.idf[k]!) };
}

export function termIndex(space: TfidfSpace): Map<string, number> {
  return new Map(space.vocab.map((t, k) => [t, k]));
}

export function tfidf(texts: readonly string[], opts: TfidfOptions): TfidfResult {
  const docs = texts.map(tokenize);
  const space = fitTfidf(docs, opts);
  const index = termIndex(space);
  return { vocab: space.vocab, rows: docs.map((doc) => tfidfRow(space, index, doc)) };
}
