import { demo, serverFeatures, shop, type DemoShopper } from './api.js';

/**
 * Who is shopping. The session cookie (POST /api/session) names the
 * shopper; in the demo shop the visitor picks one of the simulated
 * shoppers (the first one by default, so the feed is personal at once) and
 * may reveal their hidden taste. Elsewhere the visitor shops anonymously
 * and the feed learns from their clicks. Listeners hear every change.
 */
export interface SessionState {
  shopperId: string | null;
  /** The demo shop's shoppers (null outside the demo). */
  shoppers: DemoShopper[] | null;
  /** Show the hidden taste and the true fit of each product (demo only). */
  showTaste: boolean;
}

const TASTE_KEY = 'vitrine.showTaste';
const listeners = new Set<(s: SessionState) => void>();
const state: SessionState = { shopperId: null, shoppers: null, showTaste: localStorage.getItem(TASTE_KEY) === '1' };
let ready: Promise<SessionState> | undefined;

export function session(): SessionState {
  return state;
}

/** Calls `fn` on every change until `signal` aborts. */
export function onSession(fn: (s: SessionState) => void, signal: AbortSignal): void {
  listeners.add(fn);
  signal.addEventListener('abort', () => listeners.delete(fn));
}

function emit(): void {
  for (const fn of listeners) fn(state);
}

/** Reads (or starts) the session once. */
export function ensureSession(): Promise<SessionState> {
  ready ??= (async () => {
    const f = await serverFeatures();
    if (f.demo) state.shoppers = (await demo.shoppers()).shoppers;
    const current = (await shop.session()).shopperId;
    const demoIds = new Set(state.shoppers?.map((s) => s.id) ?? []);
    if (current !== null && (state.shoppers === null || demoIds.has(current))) state.shopperId = current;
    else state.shopperId = (await shop.startSession(state.shoppers?.[0]?.id)).shopperId;
    return state;
  })();
  return ready;
}

/** Shops as another (demo) shopper from now on. */
export async function switchShopper(id: string): Promise<void> {
  state.shopperId = (await shop.startSession(id)).shopperId;
  emit();
}

export function setShowTaste(on: boolean): void {
  state.showTaste = on;
  localStorage.setItem(TASTE_KEY, on ? '1' : '0');
  emit();
}

/** A per-tab session id, so the purchases of one visit form one order. */
export function visitId(): string {
  let id = sessionStorage.getItem('vitrine.visit');
  if (id === null) {
    id = `web-${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`;
    sessionStorage.setItem('vitrine.visit', id);
  }
  return id;
}

/** Records what the shopper did (the feed re-ranks on it and the live stream pushes the new feed). */
export async function track(itemId: string, type: 'view' | 'click' | 'add-to-cart' | 'purchase', price?: number | null): Promise<void> {
  await shop.sendEvent({ itemId, type, sessionId: visitId(), ...(price === undefined ? {} : { price }) });
}
