/**
 * The records vitrine stores and exchanges. String ids at the edge; the store
 * and the models translate to dense indices with IdMap.
 */

export const EVENT_TYPES = ['view', 'click', 'cart', 'purchase', 'rating'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Attribute values are strings (categorical) or numbers. */
export type Attributes = Record<string, string | number>;

export interface Item {
  id: string;
  title: string;
  /** Top-level category, e.g. "dress" (used by stratified splits and reports). */
  category: string;
  /** Further attributes: colour, pattern, shape fields, genre flags, ... */
  attributes: Attributes;
  /** Plain-English description (caption, review text summary, detail_desc). */
  caption: string;
  price: number | null;
  /** Image path relative to the workspace images folder, or an absolute path; null when none. */
  image: string | null;
  /** Unix time in milliseconds when the product appeared, if known. */
  createdAt: number | null;
}

/**
 * Whether a product can be recommended: a shop marks one it cannot sell
 * (sold out, discontinued) with the attribute `available` set to 0, "0",
 * "no" or "false"; anything else, or no such attribute, is available.
 */
export function isAvailable(item: Pick<Item, 'attributes'>): boolean {
  const v = item.attributes.available;
  if (v === undefined) return true;
  return !(v === 0 || (typeof v === 'string' && ['0', 'no', 'false'].includes(v.trim().toLowerCase())));
}

export interface Shopper {
  id: string;
  /** Demographics and other fields: ageBand, region, club status, ... */
  attributes: Attributes;
  createdAt: number | null;
}

export interface ShopEvent {
  /** A stable key; re-importing the same row yields the same key, so nothing is added twice. */
  key: string;
  shopperId: string;
  itemId: string;
  type: EventType;
  /** Unix time in milliseconds. */
  ts: number;
  /** Rating (1-5), quantity, or 1 for plain events. */
  value: number;
  /** Price paid or shown, when known. */
  price: number | null;
  sessionId: string | null;
}

/** The cleaning report an import prints (issue: rows read and kept, dropped by reason). */
export const DROP_REASONS = ['duplicate', 'missingField', 'unknownId', 'badValue', 'unreadableImage'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface CleaningReport {
  source: string;
  format: string;
  rowsRead: number;
  rowsKept: number;
  dropped: Record<DropReason, number>;
  /** A few examples per reason, for the person reading the report ("line 17: rating 'x' is not a number"). */
  examples: Partial<Record<DropReason, string[]>>;
  items: number;
  shoppers: number;
  events: number;
  images: number;
}

export function emptyReport(source: string, format: string): CleaningReport {
  return {
    source,
    format,
    rowsRead: 0,
    rowsKept: 0,
    dropped: { duplicate: 0, missingField: 0, unknownId: 0, badValue: 0, unreadableImage: 0 },
    examples: {},
    items: 0,
    shoppers: 0,
    events: 0,
    images: 0,
  };
}

const MAX_EXAMPLES = 5;

/** Counts one dropped row under `reason`, keeping the first few explanations. */
export function recordDrop(report: CleaningReport, reason: DropReason, example: string): void {
  report.dropped[reason]++;
  const list = (report.examples[reason] ??= []);
  if (list.length < MAX_EXAMPLES) list.push(example);
}

/** What an importer produces; the store writes it in one transaction. */
export interface ImportBatch {
  items: Item[];
  shoppers: Shopper[];
  events: ShopEvent[];
  report: CleaningReport;
}
