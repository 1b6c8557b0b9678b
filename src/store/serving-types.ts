import type { ShopEvent } from '../data/schema.js';

/**
 * What the storefront service keeps in the store beside the shop itself
 * (migration 2): hashed API keys, impressions and experiment exposures (so
 * CTR and A/B results can be computed), experiments, and background jobs.
 */

export const API_KEY_ROLES = ['writer', 'seller', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** An API key as listed: never the secret, never its hash. */
export interface ApiKeyRecord {
  /** The public part of the key (its prefix), e.g. "k3f9a1c2d". */
  id: string;
  role: ApiKeyRole;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface StoredApiKey extends ApiKeyRecord {
  /** Hex SHA-256 of the secret part (keys are 256-bit random, so no slow hash is needed). */
  hash: string;
}

/** One shown slate: its products in order (one impression each). */
export interface SlateImpression {
  slateId: string;
  shopperId: string;
  itemIds: string[];
  /** Positions the bandit filled to explore. */
  explored: number[];
  /** The recommender configuration that produced the slate (an experiment variant or the model name). */
  variant: string;
  experimentId: string | null;
  ts: number;
}

/** A shopper's first exposure to an experiment (one row per experiment and shopper). */
export interface ExposureRow {
  experimentId: string;
  shopperId: string;
  variant: string;
  ts: number;
}

export interface ExperimentVariant {
  name: string;
  /** Share of traffic, relative to the other variants' weights. */
  weight: number;
  /** The recommender configuration (model, exploration, diversity, ...), interpreted by the service. */
  config: Record<string, unknown>;
}

export type ExperimentStatus = 'running' | 'stopped';

export interface ExperimentRecord {
  id: string;
  name: string;
  status: ExperimentStatus;
  variants: ExperimentVariant[];
  createdAt: string;
  stoppedAt: string | null;
}

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  params: Record<string, unknown>;
  progress: { phase: string; done: number; total: number } | null;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface AnalyticsQuery {
  /** Unix ms, inclusive. */
  from: number;
  /** Unix ms, exclusive. */
  to: number;
  /** Only impressions of this experiment (variants are its variants). */
  experimentId?: string;
  /** A click counts for an impression of the same shopper and item this long after it. */
  attributionWindowMs: number;
  /** Group by day (true) or over the whole window (false, day = "all"). */
  byDay: boolean;
}

/**
 * Counts of one (day, variant) cell; structurally metrics/business.ts's
 * BusinessCounts. Shoppers are shopper-days with impressions (distinct
 * shoppers when byDay is false); buyers, orders and revenue are theirs.
 */
export interface BusinessCountsRow {
  day: string;
  variant: string;
  impressions: number;
  clicks: number;
  shoppers: number;
  buyers: number;
  orders: number;
  revenue: number;
  orderValueSumSq: number;
  /** Σ over shoppers of (their revenue)², for revenue-per-shopper intervals. */
  shopperRevenueSumSq: number;
}

/** Impressions and attributed clicks of one item (the bandit's arm statistics). */
export interface ItemFeedback {
  itemId: string;
  impressions: number;
  clicks: number;
}

/** The service's part of the Store interface (store.ts). */
export interface ServingStore {
  /**
   * Appends the events of several requests in ONE transaction (group commit:
   * one WAL commit for all of them) and returns each group's counts; keys
   * already stored are skipped. A failure rolls every group back.
   */
  addEventGroups(groups: readonly (readonly ShopEvent[])[]): { added: number; skipped: number }[];
  addApiKey(key: StoredApiKey): void;
  getApiKey(id: string): StoredApiKey | undefined;
  listApiKeys(): ApiKeyRecord[];
  /** Marks a key revoked; false when there is no such key. */
  revokeApiKey(id: string, at: string): boolean;
  /**
   * Appends shown slates, and adds them and `attributedClicks` (a product id
   * per click the service attributed to a shown slate) to the per-product
   * aggregate behind itemFeedback; one transaction.
   */
  logImpressions(rows: readonly SlateImpression[], attributedClicks?: readonly string[]): void;
  /** Records first exposures (later ones for the same experiment and shopper are ignored); one transaction. */
  logExposures(rows: readonly ExposureRow[]): void;
  putExperiment(e: ExperimentRecord): void;
  getExperiment(id: string): ExperimentRecord | undefined;
  listExperiments(): ExperimentRecord[];
  putJob(j: JobRecord): void;
  getJob(id: string): JobRecord | undefined;
  /** Newest first. */
  listJobs(limit?: number): JobRecord[];
  /** Business counts by day (or overall) and variant. */
  businessCounts(q: AnalyticsQuery): BusinessCountsRow[];
  /**
   * Per-item impressions and attributed clicks, items with impressions only:
   * the first call computes them from the impressions log (clicks within
   * attributionWindowMs of a slate that showed the item) and keeps them as an
   * aggregate that logImpressions updates; later calls read the aggregate.
   */
  itemFeedback(attributionWindowMs: number): ItemFeedback[];
  /**
   * The product id and event type code (EVENT_TYPES index) of every event of
   * a shopper, unordered: the cheap read behind the service's fold-in
   * (about a third of the cost of eventsOf).
   */
  interactionsOf(shopperId: string): { itemIds: string[]; types: number[] };
  /** The shopper id and event type code of every event on a product, unordered (the fold-in of a product newer than the model). */
  interactionsWith(itemId: string): { shopperIds: string[]; types: number[] };
  /**
   * A passive WAL checkpoint (copies committed pages into the database file
   * without blocking writers; a no-op for a read-only or in-memory store):
   * WAL frames, and how many were checkpointed.
   */
  checkpoint(): { walFrames: number; checkpointed: number };
  /** How many of these event keys are stored (durability checks). */
  countEventKeys(keys: readonly string[]): number;
}
