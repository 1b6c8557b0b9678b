import type { Attributes, Item, Shopper } from '../data/schema.js';

/**
 * Conversions between records and SQLite rows. Column order of the SELECTs
 * below matches the raw-row readers, so rows can be read with `.raw()`.
 */

export const ITEM_COLUMNS = 'id, title, category, attributes, caption, price, image, created_at';
export const SHOPPER_COLUMNS = 'id, attributes, created_at';

export type ItemRow = [id: string, title: string, category: string, attributes: string, caption: string, price: number | null, image: string | null, createdAt: number | null];
export type ShopperRow = [id: string, attributes: string, createdAt: number | null];

export function itemFromRow(r: ItemRow): Item {
  return { id: r[0], title: r[1], category: r[2], attributes: parseAttributes(r[3]), caption: r[4], price: r[5], image: r[6], createdAt: r[7] };
}

export function shopperFromRow(r: ShopperRow): Shopper {
  return { id: r[0], attributes: parseAttributes(r[1]), createdAt: r[2] };
}

/** Named parameters of an item upsert. */
export function itemParams(it: Item): Record<string, unknown> {
  return {
    id: it.id ?? null,
    // A missing title or category is bound as NULL so the NOT NULL constraint rejects the whole import.
    title: it.title ?? null,
    category: it.category ?? null,
    attributes: JSON.stringify(it.attributes ?? {}),
    caption: it.caption ?? '',
    price: finiteOrNull(it.price),
    image: it.image ?? null,
    createdAt: finiteOrNull(it.createdAt),
  };
}

export function shopperParams(s: Shopper): Record<string, unknown> {
  return { id: s.id ?? null, attributes: JSON.stringify(s.attributes ?? {}), createdAt: finiteOrNull(s.createdAt) };
}

function parseAttributes(text: string): Attributes {
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null ? (v as Attributes) : {};
}

/** NaN and undefined are stored as NULL. */
export function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
