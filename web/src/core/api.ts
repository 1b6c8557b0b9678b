import { VitrineApiError, VitrineClient } from '../../../src/client/index.js';

/**
 * The UI's clients. The storefront calls as the shopper of the session
 * cookie (same origin); the dashboard adds the admin key, which the visitor
 * types in and which lives in sessionStorage only (gone when the tab
 * closes). Demo-only and UI routes the typed client does not cover are
 * plain fetches here.
 */
export const shop = new VitrineClient({ baseUrl: '', credentials: 'same-origin', cookieJar: false });

/** The key-gated areas: the admin dashboard and the seller pages, each with its own key. */
export type KeyedArea = 'admin' | 'seller';

const storageKey = (area: KeyedArea): string => `vitrine.${area}Key`;

export function areaKey(area: KeyedArea): string | null {
  return sessionStorage.getItem(storageKey(area));
}

export function setAreaKey(area: KeyedArea, key: string | null): void {
  if (key === null) sessionStorage.removeItem(storageKey(area));
  else sessionStorage.setItem(storageKey(area), key);
}

/** A client with the area's key; null when none is entered. */
export function areaClient(area: KeyedArea): VitrineClient | null {
  const key = areaKey(area);
  return key === null ? null : new VitrineClient({ baseUrl: '', apiKey: key, cookieJar: false });
}

/** A client with the admin key; null when none is entered. */
export function admin(): VitrineClient | null {
  return areaClient('admin');
}

/** A client with the seller key (an admin key works too); null when none is entered. */
export function seller(): VitrineClient | null {
  return areaClient('seller');
}

/** GET a JSON route, errors as VitrineApiError (the service's code and message). */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
  const body = (await res.json().catch(() => null)) as T & { error?: { code: string; message: string; hint?: string } };
  if (!res.ok) throw new VitrineApiError(res.status, (body?.error?.code ?? 'INTERNAL') as never, body?.error?.message ?? res.statusText, body?.error?.hint);
  return body;
}

export interface Features {
  photo: boolean;
  jobs: boolean;
  demo: boolean;
  routes: string[];
}

let features: Promise<Features> | undefined;

/** Which optional features the server has (GET /api/ui/features), asked once. */
export function serverFeatures(): Promise<Features> {
  features ??= getJson<Features>('/api/ui/features').catch(() => ({ photo: false, jobs: false, demo: false, routes: [] }));
  return features;
}

export interface DemoShopper {
  id: string;
  ageBand: string | null;
  region: string | null;
  products: number;
}

export interface Weighted {
  name: string;
  weight: number;
}

export interface HiddenTaste {
  shopperId: string;
  description: string;
  categories: Weighted[];
  colours: Weighted[];
  patterns: Weighted[];
  priceSensitivity: number;
  popularityBias: number;
  activeHours: { peak: number; spread: number };
  /** itemId -> the product's percentile in the shopper's true utility (1: the best fit in the catalog). */
  utility: Record<string, number>;
}

export const demo = {
  shoppers: (limit = 60): Promise<{ shoppers: DemoShopper[]; total: number }> => getJson(`/api/demo/shoppers?limit=${limit}`),
  taste: (id: string, items: readonly string[] = []): Promise<HiddenTaste> =>
    getJson(`/api/demo/shoppers/${encodeURIComponent(id)}/taste${items.length ? `?items=${encodeURIComponent(items.slice(0, 200).join(','))}` : ''}`),
};

export interface PhotoInfo {
  ready: boolean;
  message: string;
  weight: number | null;
  size: number;
}

export const photoInfo = (): Promise<PhotoInfo> => getJson('/api/recommendations/photo/info');
