import { fail } from '../../core/errors.js';
import type { Item } from '../../data/schema.js';

/**
 * The supervised targets of the catalog CNN, built from the data rather than
 * from any one shop's vocabulary: one classification head per categorical
 * attribute ("category" is the item's category; the others are its string
 * attributes: primaryColour and pattern in the world, colour and
 * graphicalAppearance in H&M). A head needs at least two classes of at least
 * `minClassCount` products; rarer values and missing attributes are
 * unlabelled (-1) and add no loss for that head.
 */

/** The pseudo-attribute naming an item's category. */
export const CATEGORY_HEAD = 'category';

export interface LabelHead {
  /** "category" or the attribute name. */
  name: string;
  /** Class names; class index = position. */
  classes: string[];
  /** Loss weight. */
  weight: number;
}

export interface LabelSpace {
  heads: LabelHead[];
}

export interface LabelSpaceOptions {
  /** Heads to build (empty: every categorical attribute found). */
  attributes?: readonly string[];
  headWeights?: Readonly<Record<string, number>>;
  minClassCount?: number;
  maxClasses?: number;
}

/** The value of `name` on an item as a class name, or undefined. */
export function attributeValue(item: Item, name: string): string | undefined {
  if (name === CATEGORY_HEAD) return item.category === '' ? undefined : item.category;
  const v = item.attributes[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Every string attribute name on the items, "category" first, then in first-seen order. */
function candidateNames(items: readonly Item[]): string[] {
  const names = new Set<string>([CATEGORY_HEAD]);
  for (const it of items) for (const [k, v] of Object.entries(it.attributes)) if (typeof v === 'string') names.add(k);
  return [...names];
}

/** Counts of each value of `name`. */
function valueCounts(items: readonly Item[], name: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const it of items) {
    const v = attributeValue(it, name);
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/** Heads for `items` (sorted class names, so the same data gives the same label space). */
export function buildLabelSpace(items: readonly Item[], opts: LabelSpaceOptions = {}): LabelSpace {
  const asked = opts.attributes !== undefined && opts.attributes.length > 0;
  const names = asked ? [...opts.attributes!] : candidateNames(items);
  const minCount = opts.minClassCount ?? 2;
  const maxClasses = opts.maxClasses ?? 256;
  const heads: LabelHead[] = [];
  for (const name of names) {
    const classes = [...valueCounts(items, name)].filter(([, n]) => n >= minCount).map(([v]) => v).sort();
    const usable = classes.length >= 2 && classes.length <= maxClasses;
    if (!usable && asked) fail('INVALID_ARGUMENT', `attribute "${name}" has ${classes.length} classes of at least ${minCount} products; a head needs 2 to ${maxClasses}`);
    if (usable) heads.push({ name, classes, weight: opts.headWeights?.[name] ?? 1 });
  }
  if (heads.length === 0) {
    fail('INVALID_ARGUMENT', 'no attribute of these products has 2 or more classes to learn from', { hint: 'the CNN encoder learns from item categories and categorical attributes' });
  }
  return { heads };
}

/** labels[head][itemIdx]: the class index of each item for each head, -1 when unlabelled. */
export function encodeLabels(space: LabelSpace, items: readonly Item[]): Int32Array[] {
  return space.heads.map((h) => {
    const index = new Map(h.classes.map((c, i) => [c, i]));
    return Int32Array.from(items, (it) => {
      const v = attributeValue(it, h.name);
      return v === undefined ? -1 : (index.get(v) ?? -1);
    });
  });
}

/**
 * Group ids for the contrastive term: items with the same labels on every
 * head in `names` share a group; an item unlabelled on any of them gets -1
 * (it is an anchor only for its own second view).
 */
export function tupleGroups(space: LabelSpace, labels: readonly Int32Array[], names: readonly string[]): Int32Array {
  const picked = names.length === 0 ? space.heads.map((_, i) => i) : names.map((n) => {
    const i = space.heads.findIndex((h) => h.name === n);
    if (i < 0) fail('INVALID_ARGUMENT', `contrastive attribute "${n}" is not a head (heads: ${space.heads.map((h) => h.name).join(', ')})`);
    return i;
  });
  const n = labels[0]?.length ?? 0;
  const ids = new Map<string, number>();
  return Int32Array.from({ length: n }, (_, item) => {
    const parts = picked.map((h) => labels[h]![item]!);
    if (parts.some((p) => p < 0)) return -1;
    const key = parts.join(',');
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  });
}
