import { decodeSlate, type DecodedSlate } from '../serve/compact/codec.js';
import type { CompactCatalogDto, CompactSlateDto, FeedDto, PhotoResultDto, SimilarDto } from '../serve/schemas/recommend.js';
import type { EventInputDto, IngestResultDto, ItemDto, ItemImageResultDto, ItemInput, ItemPage, ShopperDto, ShopperInput, StoredEventDto } from '../serve/schemas/catalog.js';
import type { CreatedKeyDto, ExperimentCreateInput, ExperimentDto, JobDto, KeyDto, ModelDto, RetrainStatusDto } from '../serve/schemas/admin.js';
import type { ExperimentResults } from '../serve/experiments/results.js';
import type { BusinessMetrics } from '../metrics/business.js';
import { Http, queryString, VitrineApiError, type ClientOptions } from './http.js';
import { readSse } from './sse.js';

/**
 * The typed client of the vitrine service (issue 2: "a typed TypeScript
 * client in the package, used by the web UI and the tests"). One method per
 * route, typed requests and responses, errors as VitrineApiError with the
 * service's stable code. fetch-based: runs in browsers and Node 20.
 *
 *   const api = new VitrineClient({ baseUrl: 'http://127.0.0.1:8080', apiKey });
 *   const feed = await api.recommendations({ shopperId: 's00001', k: 8, category: ['dress'] });
 */

export interface FilterRequest {
  category?: readonly string[];
  minPrice?: number;
  maxPrice?: number;
  exclude?: readonly string[];
}

export interface FeedRequest extends FilterRequest {
  shopperId?: string;
  k?: number;
  diversity?: number;
  maxPerCategory?: number;
  exploration?: number;
  model?: string;
  log?: boolean;
}

export interface CompactRequest {
  shopperId?: string;
  region?: 'EU868' | 'US915';
  dr?: number;
  k?: number;
  model?: string;
}

/** A compact slate fetched as bytes and decoded (item ids resolved when a catalog is given). */
export interface CompactSlate extends DecodedSlate {
  bytes: Uint8Array;
  airtimeMs: number;
  /** Product ids of `items`, when the catalog table was passed and its tag matches. */
  itemIds: string[] | null;
}

export interface BusinessReport {
  from: string;
  to: string;
  confidence: number;
  clvAssumptions: string;
  variants: (BusinessMetrics & { clv: number })[];
  days: BusinessMetrics[];
}

export class VitrineClient {
  private readonly http: Http;

  constructor(opts: ClientOptions = {}) {
    this.http = new Http(opts);
  }

  /** The session cookie held by the client's jar (Node). */
  get sessionCookie(): string | undefined {
    return this.http.sessionCookie;
  }

  // service and session
  health(): Promise<{ status: string; model: string | null; models: string[]; items: number; liveStreams: number; eventsAcknowledged: number; uptimeSeconds: number }> {
    return this.http.json('GET', '/api/health');
  }
  session(): Promise<{ shopperId: string | null; known: boolean }> {
    return this.http.json('GET', '/api/session');
  }
  startSession(shopperId?: string): Promise<{ shopperId: string; known: boolean }> {
    return this.http.json('POST', '/api/session', shopperId === undefined ? {} : { shopperId });
  }
  endSession(): Promise<{ shopperId: null; known: false }> {
    return this.http.json('DELETE', '/api/session');
  }

  // products and shoppers
  items(q: { offset?: number; limit?: number; category?: string } = {}): Promise<ItemPage> {
    return this.http.json('GET', `/api/items${queryString(q)}`);
  }
  item(id: string): Promise<ItemDto> {
    return this.http.json('GET', `/api/items/${encodeURIComponent(id)}`);
  }
  categories(): Promise<{ categories: { name: string; count: number }[] }> {
    return this.http.json('GET', '/api/categories');
  }
  upsertItems(items: ItemInput | ItemInput[]): Promise<{ added: number; updated: number }> {
    return this.http.json('POST', '/api/items', items);
  }

  /** Sets a product's photo (seller key): the image bytes as JPEG, PNG or WebP. */
  async putItemImage(itemId: string, image: Blob | Uint8Array, mimeType = 'image/png'): Promise<ItemImageResultDto> {
    const body = image instanceof Blob ? image : new Blob([image as Uint8Array<ArrayBuffer>], { type: mimeType });
    const res = await this.http.raw('PUT', `/api/items/${encodeURIComponent(itemId)}/image`, { body, headers: { 'content-type': image instanceof Blob && image.type !== '' ? image.type : mimeType } });
    return (await res.json()) as ItemImageResultDto;
  }
  shoppers(q: { offset?: number; limit?: number } = {}): Promise<{ shoppers: ShopperDto[]; offset: number; limit: number }> {
    return this.http.json('GET', `/api/shoppers${queryString(q)}`);
  }
  shopper(id: string): Promise<{ shopper: ShopperDto; products: number; sessionEvents: number }> {
    return this.http.json('GET', `/api/shoppers/${encodeURIComponent(id)}`);
  }
  shopperEvents(id: string, limit?: number): Promise<{ events: StoredEventDto[] }> {
    return this.http.json('GET', `/api/shoppers/${encodeURIComponent(id)}/events${queryString({ limit })}`);
  }
  upsertShoppers(shoppers: ShopperInput | ShopperInput[]): Promise<{ added: number; updated: number }> {
    return this.http.json('POST', '/api/shoppers', shoppers);
  }

  // events
  sendEvent(event: EventInputDto): Promise<IngestResultDto> {
    return this.http.json('POST', '/api/events', event);
  }
  sendEvents(events: EventInputDto[]): Promise<IngestResultDto> {
    return this.http.json('POST', '/api/events/batch', { events });
  }

  // recommendations
  recommendations(q: FeedRequest = {}): Promise<FeedDto> {
    return this.http.json('GET', `/api/recommendations${queryString({ ...q })}`);
  }
  /** Products like one product; `visual` weighs image similarity in (0..1). */
  similar(itemId: string, q: FilterRequest & { k?: number; model?: string; visual?: number } = {}): Promise<SimilarDto> {
    return this.http.json('GET', `/api/recommendations/similar/${encodeURIComponent(itemId)}${queryString({ ...q })}`);
  }

  /** "More like this photo": uploads an image (multipart field "photo"). */
  async photo(image: Blob | Uint8Array, q: FilterRequest & { k?: number; shopperId?: string; mimeType?: string; filename?: string } = {}): Promise<PhotoResultDto> {
    const { mimeType = 'image/png', filename = 'photo', ...query } = q;
    const blob = image instanceof Blob ? image : new Blob([image as Uint8Array<ArrayBuffer>], { type: mimeType });
    const form = new FormData();
    form.append('photo', blob, filename);
    const res = await this.http.raw('POST', `/api/recommendations/photo${queryString({ ...query })}`, { body: form });
    return (await res.json()) as PhotoResultDto;
  }

  /**
   * The live feed: calls `onFeed` with the current feed and again whenever
   * the shopper's events change it, until `signal` aborts (or `maxEvents`
   * feeds arrived). Resolves when the stream ends.
   */
  async streamFeed(q: FeedRequest & { maxEvents?: number }, onFeed: (feed: FeedDto) => void, signal?: AbortSignal): Promise<void> {
    const res = await this.http.raw('GET', `/api/recommendations/stream${queryString({ ...q })}`, { headers: { accept: 'text/event-stream' }, ...(signal === undefined ? {} : { signal }) });
    if (res.body === null) return;
    await readSse(
      res.body,
      (m) => {
        if (m.event === 'feed') onFeed(JSON.parse(m.data) as FeedDto);
        else if (m.event === 'error') {
          const e = (JSON.parse(m.data) as { error: { code: string; message: string } }).error;
          throw new VitrineApiError(200, e.code as never, e.message);
        }
      },
      signal,
    );
  }

  /** The compact LoRa slate as bytes, decoded; pass the catalog table to get product ids. */
  async compactSlate(q: CompactRequest = {}, catalog?: CompactCatalogDto): Promise<CompactSlate> {
    const res = await this.http.raw('GET', `/api/recommendations/compact${queryString({ ...q, format: 'binary' })}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const decoded = decodeSlate(bytes);
    const itemIds = catalog !== undefined && catalog.tag === decoded.catalogTag ? decoded.items.map((i) => catalog.itemIds[i] ?? '') : null;
    return { ...decoded, bytes, airtimeMs: Number(res.headers.get('x-vitrine-airtime-ms') ?? Number.NaN), itemIds };
  }
  compactSlateJson(q: CompactRequest = {}): Promise<CompactSlateDto> {
    return this.http.json('GET', `/api/recommendations/compact${queryString({ ...q, format: 'json' })}`);
  }
  compactCatalog(model?: string): Promise<CompactCatalogDto> {
    return this.http.json('GET', `/api/compact/catalog${queryString({ model })}`);
  }

  // jobs and models
  startJob(kind: string, params: Record<string, unknown> = {}): Promise<JobDto> {
    return this.http.json('POST', '/api/jobs', { kind, params });
  }
  job(id: string): Promise<JobDto> {
    return this.http.json('GET', `/api/jobs/${encodeURIComponent(id)}`);
  }
  /** Recent jobs, newest first, and the retraining schedule. */
  jobs(): Promise<{ jobs: JobDto[]; retrain: RetrainStatusDto }> {
    return this.http.json('GET', '/api/jobs');
  }
  /** The calling key's id and role (UNAUTHORIZED without a valid key). */
  whoami(): Promise<{ keyId: string; role: 'writer' | 'seller' | 'admin' }> {
    return this.http.json('GET', '/api/keys/me');
  }
  /** Retrains the served model now (same kind, settings and name); CONFLICT when it cannot (a training job runs, a visual model). */
  retrainNow(): Promise<JobDto> {
    return this.http.json('POST', '/api/jobs/retrain');
  }
  cancelJob(id: string): Promise<JobDto> {
    return this.http.json('POST', `/api/jobs/${encodeURIComponent(id)}/cancel`);
  }
  /** Polls a job until it has finished (succeeded, failed or cancelled). */
  async waitForJob(id: string, opts: { intervalMs?: number; timeoutMs?: number } = {}): Promise<JobDto> {
    const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
    for (;;) {
      const j = await this.job(id);
      if (j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled') return j;
      if (Date.now() > deadline) throw new VitrineApiError(0, 'ABORTED', `job ${id} still ${j.status} after the timeout`);
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
    }
  }
  models(): Promise<{ models: ModelDto[] }> {
    return this.http.json('GET', '/api/models');
  }
  setActiveModel(name: string): Promise<{ models: ModelDto[] }> {
    return this.http.json('PUT', '/api/models/active', { name });
  }

  // metrics and experiments
  businessMetrics(q: { from?: string; to?: string; experiment?: string; confidence?: number } = {}): Promise<BusinessReport> {
    return this.http.json('GET', `/api/metrics/business${queryString(q)}`);
  }
  serviceMetrics(): Promise<Record<string, unknown>> {
    return this.http.json('GET', '/api/metrics/service');
  }
  createExperiment(input: ExperimentCreateInput): Promise<ExperimentDto> {
    return this.http.json('POST', '/api/experiments', input);
  }
  experiments(): Promise<{ experiments: ExperimentDto[] }> {
    return this.http.json('GET', '/api/experiments');
  }
  experiment(id: string): Promise<ExperimentDto> {
    return this.http.json('GET', `/api/experiments/${encodeURIComponent(id)}`);
  }
  stopExperiment(id: string): Promise<ExperimentDto> {
    return this.http.json('POST', `/api/experiments/${encodeURIComponent(id)}/stop`);
  }
  experimentResults(id: string, confidence?: number): Promise<ExperimentResults> {
    return this.http.json('GET', `/api/experiments/${encodeURIComponent(id)}/results${queryString({ confidence })}`);
  }
  assignment(id: string, shopperId: string): Promise<{ experimentId: string; shopperId: string; variant: string; config: Record<string, unknown> }> {
    return this.http.json('GET', `/api/experiments/${encodeURIComponent(id)}/assignment${queryString({ shopperId })}`);
  }
  sampleSize(q: { baseline: number; mde: number; relative?: boolean; alpha?: number; power?: number }): Promise<{ perVariant: number; p1: number; p2: number; alpha: number; power: number }> {
    return this.http.json('GET', `/api/experiments/sample-size${queryString(q)}`);
  }

  // keys
  createKey(role: 'writer' | 'seller' | 'admin', label?: string): Promise<CreatedKeyDto> {
    return this.http.json('POST', '/api/keys', label === undefined ? { role } : { role, label });
  }
  keys(): Promise<{ keys: KeyDto[] }> {
    return this.http.json('GET', '/api/keys');
  }
  revokeKey(id: string): Promise<{ id: string; revoked: true }> {
    return this.http.json('DELETE', `/api/keys/${encodeURIComponent(id)}`);
  }
}
