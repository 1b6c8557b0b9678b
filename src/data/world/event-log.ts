/**
 * The simulated events as columns (struct of arrays): a million events cost
 * ~30 MB here against ~300 MB as ShopEvent objects. Rows are in time order
 * once `sortByTime` has run; ShopEvent records are made on demand.
 */

export interface WorldEventLog {
  n: number;
  /** Shopper index (into World.shoppers). */
  shopper: Int32Array;
  /** Item index (into World.items). */
  item: Int32Array;
  /** Index into EVENT_TYPES (src/data/schema.ts): 0 view, 1 click, 2 cart, 3 purchase. */
  type: Uint8Array;
  /** Unix milliseconds. */
  ts: Float64Array;
  /** Price shown or paid. */
  price: Float64Array;
  /** The shopper's session ordinal (1, 2, ...): sessionId = `${shopperId}-${session}`. */
  session: Int32Array;
}

/** Growable columns the simulation appends to. */
export class EventBuffer {
  private log: WorldEventLog;

  constructor(capacity = 1024) {
    this.log = allocate(Math.max(16, capacity));
    this.log.n = 0;
  }

  get length(): number {
    return this.log.n;
  }

  push(shopper: number, item: number, type: number, ts: number, price: number, session: number): void {
    const l = this.log;
    if (l.n === l.shopper.length) this.grow();
    const k = this.log.n++;
    const m = this.log;
    m.shopper[k] = shopper;
    m.item[k] = item;
    m.type[k] = type;
    m.ts[k] = ts;
    m.price[k] = price;
    m.session[k] = session;
  }

  private grow(): void {
    const old = this.log;
    const next = allocate(old.shopper.length * 2);
    next.n = old.n;
    next.shopper.set(old.shopper);
    next.item.set(old.item);
    next.type.set(old.type);
    next.ts.set(old.ts);
    next.price.set(old.price);
    next.session.set(old.session);
    this.log = next;
  }

  /** The events in time order (ties keep the order they were pushed in), trimmed to length. */
  sortByTime(): WorldEventLog {
    const { n, ts } = this.log;
    const order = new Uint32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort((a, b) => ts[a]! - ts[b]! || a - b);
    const src = this.log;
    const out = allocate(n);
    for (let row = 0; row < n; row++) {
      const k = order[row]!;
      out.shopper[row] = src.shopper[k]!;
      out.item[row] = src.item[k]!;
      out.type[row] = src.type[k]!;
      out.ts[row] = src.ts[k]!;
      out.price[row] = src.price[k]!;
      out.session[row] = src.session[k]!;
    }
    return out;
  }
}

function allocate(n: number): WorldEventLog {
  return {
    n,
    shopper: new Int32Array(n),
    item: new Int32Array(n),
    type: new Uint8Array(n),
    ts: new Float64Array(n),
    price: new Float64Array(n),
    session: new Int32Array(n),
  };
}
