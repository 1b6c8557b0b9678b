import { toVitrineError, VitrineError, type ErrorCode } from '../../core/errors.js';
import type { ShopEvent } from '../../data/schema.js';
import type { ExposureRow, JobRecord, SlateImpression, Store } from '../../store/store.js';

/**
 * The writes of the serving path: events (acknowledged only once
 * committed), the impression log, job records. Behind this interface they
 * run either on the server thread (DirectWriter: tests, in-memory stores)
 * or in a thread of their own with its own connection (ThreadWriter, what
 * `vitrine serve` uses), so the event loop never waits for the disk: on a
 * busy disk one SQLite write can stall for hundreds of milliseconds (the
 * WAL header is synced each time the log restarts after a checkpoint, and
 * a write waits for the busy lock), and every request queued behind it
 * waits too. Writes run in the order they were asked for.
 */
export interface ServeWriter {
  /** Appends each group in one transaction; a group that fails is retried alone, so it fails alone (its Error in its place). */
  addEventGroups(groups: readonly (readonly ShopEvent[])[]): Promise<EventGroupResult[]>;
  /** Writes exposures, then slates and attributed clicks; says what was written (a failure is not thrown: the caller keeps what was not written). */
  logImpressions(batch: ImpressionBatch): Promise<ImpressionWriteResult>;
  /** Stores a job record (insert or replace). */
  putJob(job: JobRecord): Promise<void>;
  /** Changes when a connection other than this writer's commits to the store (another process's import; the server thread's rare writes). */
  externalVersion(): number;
  /** Writes finished since start. */
  readonly writes: number;
  /** Whether the writes run in a thread of their own (false: on the server thread). */
  readonly threaded: boolean;
  /** Waits for queued writes, then stops (the store itself stays open). */
  close(): Promise<void>;
}

export type EventGroupResult = { added: number; skipped: number } | Error;

export interface ImpressionBatch {
  exposures: readonly ExposureRow[];
  rows: readonly SlateImpression[];
  clicks: readonly string[];
}

export interface ImpressionWriteResult {
  /** Whether the exposures were written (they are their own transaction). */
  exposed: boolean;
  /** Whether the slates and clicks were written. */
  logged: boolean;
  error: string | null;
}

/** Group commit with isolation: one transaction for all groups; if it fails, each group alone. */
export function commitEventGroups(store: Store, groups: readonly (readonly ShopEvent[])[]): EventGroupResult[] {
  try {
    return store.addEventGroups(groups);
  } catch (e) {
    if (groups.length === 1) return [toVitrineError(e)];
    return groups.map((g) => {
      try {
        return store.addEventGroups([g])[0]!;
      } catch (err) {
        return toVitrineError(err);
      }
    });
  }
}

export function writeImpressions(store: Store, b: ImpressionBatch): ImpressionWriteResult {
  let exposed = false;
  try {
    if (b.exposures.length > 0) store.logExposures(b.exposures);
    exposed = true;
    if (b.rows.length > 0 || b.clicks.length > 0) store.logImpressions(b.rows, b.clicks);
    return { exposed, logged: true, error: null };
  } catch (e) {
    return { exposed, logged: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** An error as it crosses a thread (structured clone keeps no class). */
export interface WireError {
  code: ErrorCode;
  message: string;
}

export const toWire = (e: unknown): WireError => {
  const v = toVitrineError(e);
  return { code: v.code, message: v.message };
};

export const fromWire = (w: WireError): VitrineError => new VitrineError(w.code, w.message);

/** The writes on the server thread itself, through the server's own connection. */
export class DirectWriter implements ServeWriter {
  writes = 0;
  readonly threaded = false;

  constructor(private readonly store: Store) {}

  addEventGroups(groups: readonly (readonly ShopEvent[])[]): Promise<EventGroupResult[]> {
    this.writes++;
    return Promise.resolve(commitEventGroups(this.store, groups));
  }

  logImpressions(batch: ImpressionBatch): Promise<ImpressionWriteResult> {
    this.writes++;
    return Promise.resolve(writeImpressions(this.store, batch));
  }

  putJob(job: JobRecord): Promise<void> {
    try {
      this.store.putJob(job);
      this.writes++;
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  externalVersion(): number {
    // data_version changes only for other connections' commits: this writer's are the server's own.
    return this.store.dataVersion();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
