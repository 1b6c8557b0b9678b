import { IdMap } from '../core/ids.js';
import { EVENT_TYPES, type EventType, type ImportBatch, type Item, type Shopper, type ShopEvent } from './schema.js';

/**
 * A shop held in memory for training and evaluation: id maps, the item and
 * shopper records aligned with their indices, and the event log in columns
 * (struct of arrays, so a million events cost ~25 MB).
 *
 * Items may have no events (cold items); shoppers may have no events.
 */
export interface Dataset {
  name: string;
  users: IdMap;
  items: IdMap;
  /** itemInfo[itemIdx]; undefined when an event names an item with no catalog row (e.g. MovieLens without u.item). */
  itemInfo: (Item | undefined)[];
  shopperInfo: (Shopper | undefined)[];
  events: EventColumns;
}

/** The event log as columns; row k is one event. Sorted by (ts, user, item) when built by `buildDataset`. */
export interface EventColumns {
  user: Int32Array;
  item: Int32Array;
  /** Unix milliseconds. */
  ts: Float64Array;
  /** Index into EVENT_TYPES. */
  type: Uint8Array;
  value: Float32Array;
  /** Price, NaN when unknown. */
  price: Float32Array;
}

export function eventTypeCode(t: EventType): number {
  return EVENT_TYPES.indexOf(t);
}

export function eventTypeName(code: number): EventType {
  const t = EVENT_TYPES[code];
  if (t === undefined) throw new RangeError(`bad event type code ${code}`);
  return t;
}

export function eventCount(e: EventColumns): number {
  return e.user.length;
}

/**
 * Builds a Dataset from records. Items come first (catalog order), then any
 * item only named by an event; the same for shoppers. Events are sorted by
 * time, ties by shopper then item index, so "later" is well defined.
 */
export function buildDataset(
  name: string,
  items: readonly Item[],
  shoppers: readonly Shopper[],
  events: readonly ShopEvent[],
): Dataset {
  const itemMap = new IdMap();
  const itemInfo: (Item | undefined)[] = [];
  for (const it of items) {
    const idx = itemMap.add(it.id);
    itemInfo[idx] = it;
  }
  const userMap = new IdMap();
  const shopperInfo: (Shopper | undefined)[] = [];
  for (const s of shoppers) {
    const idx = userMap.add(s.id);
    shopperInfo[idx] = s;
  }
  const n = events.length;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const e = events[k]!;
    user[k] = userMap.add(e.shopperId);
    item[k] = itemMap.add(e.itemId);
  }
  while (itemInfo.length < itemMap.size) itemInfo.push(undefined);
  while (shopperInfo.length < userMap.size) shopperInfo.push(undefined);
  const order = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => events[a]!.ts - events[b]!.ts || user[a]! - user[b]! || item[a]! - item[b]!,
  );
  const cols: EventColumns = {
    user: new Int32Array(n),
    item: new Int32Array(n),
    ts: new Float64Array(n),
    type: new Uint8Array(n),
    value: new Float32Array(n),
    price: new Float32Array(n),
  };
  order.forEach((k, row) => {
    const e = events[k]!;
    cols.user[row] = user[k]!;
    cols.item[row] = item[k]!;
    cols.ts[row] = e.ts;
    cols.type[row] = eventTypeCode(e.type);
    cols.value[row] = e.value;
    cols.price[row] = e.price ?? Number.NaN;
  });
  return { name, users: userMap, items: itemMap, itemInfo, shopperInfo, events: cols };
}

export function datasetFromBatch(name: string, batch: ImportBatch): Dataset {
  return buildDataset(name, batch.items, batch.shoppers, batch.events);
}
