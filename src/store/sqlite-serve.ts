import type Database from 'better-sqlite3';
import { ITEM_FEEDBACK_META } from './sqlite-analytics.js';
import type {
  ApiKeyRecord,
  ApiKeyRole,
  ExperimentRecord,
  ExposureRow,
  SlateImpression,
  JobRecord,
  JobStatus,
  StoredApiKey,
} from './serving-types.js';

/**
 * The service's tables (migration 2) on SQLite: prepared statements for API
 * keys, impressions, exposures, experiments and jobs. sqlite.ts wraps every
 * call in its error guard and read-only check; batch writes run in one
 * transaction here.
 */

type KeyRow = [id: string, hash: string, role: string, label: string, createdAt: string, revokedAt: string | null];
type ExperimentRow = [id: string, name: string, status: string, variants: string, createdAt: string, stoppedAt: string | null];
type JobRow = [id: string, kind: string, status: string, params: string, progress: string | null, result: string | null, error: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null];

const JOB_COLUMNS = 'id, kind, status, params, progress, result, error, created_at, started_at, finished_at';
const parseOrNull = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

function keyFromRow(r: KeyRow): StoredApiKey {
  return { id: r[0], hash: r[1], role: r[2] as ApiKeyRole, label: r[3], createdAt: r[4], revokedAt: r[5] };
}

function experimentFromRow(r: ExperimentRow): ExperimentRecord {
  return { id: r[0], name: r[1], status: r[2] as ExperimentRecord['status'], variants: JSON.parse(r[3]) as ExperimentRecord['variants'], createdAt: r[4], stoppedAt: r[5] };
}

function jobFromRow(r: JobRow): JobRecord {
  return {
    id: r[0],
    kind: r[1],
    status: r[2] as JobStatus,
    params: JSON.parse(r[3]) as Record<string, unknown>,
    progress: parseOrNull(r[4]),
    result: parseOrNull(r[5]),
    error: parseOrNull(r[6]),
    createdAt: r[7],
    startedAt: r[8],
    finishedAt: r[9],
  };
}

export class ServeTables {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      addKey: db.prepare('INSERT INTO api_keys (id, hash, role, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)'),
      getKey: db.prepare('SELECT id, hash, role, label, created_at, revoked_at FROM api_keys WHERE id = ?').raw(),
      listKeys: db.prepare('SELECT id, hash, role, label, created_at, revoked_at FROM api_keys ORDER BY created_at, id').raw(),
      revokeKey: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      keyExists: db.prepare('SELECT 1 FROM api_keys WHERE id = ?').pluck(),
      impression: db.prepare('INSERT INTO impressions (slate, shopper, items, n, explored, variant, experiment, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      feedbackKept: db.prepare('SELECT 1 FROM meta WHERE key = ?').pluck(),
      feedbackAdd: db.prepare(`INSERT INTO item_feedback (item, impressions, clicks) VALUES (?, ?, ?)
        ON CONFLICT (item) DO UPDATE SET impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks`),
      exposure: db.prepare('INSERT INTO exposures (experiment, shopper, variant, ts) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      putExperiment: db.prepare(`INSERT INTO experiments (id, name, status, variants, created_at, stopped_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status, variants = excluded.variants, stopped_at = excluded.stopped_at`),
      getExperiment: db.prepare('SELECT id, name, status, variants, created_at, stopped_at FROM experiments WHERE id = ?').raw(),
      listExperiments: db.prepare('SELECT id, name, status, variants, created_at, stopped_at FROM experiments ORDER BY created_at DESC, id').raw(),
      putJob: db.prepare(`INSERT INTO jobs (${JOB_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, progress = excluded.progress, result = excluded.result,
          error = excluded.error, started_at = excluded.started_at, finished_at = excluded.finished_at`),
      getJob: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`).raw(),
      listJobs: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?`).raw(),
      eventKey: db.prepare('SELECT 1 FROM events WHERE key = ?').pluck(),
      // One row of two JSON arrays: far fewer JS objects than one row per event.
      interactions: db.prepare(`SELECT json_group_array(i.id), json_group_array(e.type) FROM events e JOIN items i ON i.pk = e.item
        WHERE e.shopper = (SELECT pk FROM shoppers WHERE id = ?)`).raw(),
      interactionsWith: db.prepare(`SELECT json_group_array(s.id), json_group_array(e.type) FROM events e JOIN shoppers s ON s.pk = e.shopper
        WHERE e.item = (SELECT pk FROM items WHERE id = ?)`).raw(),
    };
  }

  addApiKey(k: StoredApiKey): void {
    this.s.addKey.run(k.id, k.hash, k.role, k.label, k.createdAt, k.revokedAt);
  }

  getApiKey(id: string): StoredApiKey | undefined {
    const row = this.s.getKey.get(id) as KeyRow | undefined;
    return row === undefined ? undefined : keyFromRow(row);
  }

  listApiKeys(): ApiKeyRecord[] {
    return (this.s.listKeys.all() as KeyRow[]).map((r) => {
      const { hash: _hash, ...rest } = keyFromRow(r);
      return rest;
    });
  }

  revokeApiKey(id: string, at: string): boolean {
    if (this.s.keyExists.get(id) === undefined) return false;
    this.s.revokeKey.run(at, id);
    return true;
  }

  /**
   * Appends the slates and, once itemFeedback has filled the per-product
   * aggregate (until then it counts from the log itself), adds their
   * impressions and the attributed clicks to it; one transaction.
   */
  logImpressions(rows: readonly SlateImpression[], attributedClicks: readonly string[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.impression.run(r.slateId, r.shopperId, JSON.stringify(r.itemIds), r.itemIds.length, JSON.stringify(r.explored), r.variant, r.experimentId, r.ts);
      if (this.s.feedbackKept.get(ITEM_FEEDBACK_META) === undefined) return;
      const add = new Map<string, { shown: number; clicks: number }>();
      const entry = (id: string): { shown: number; clicks: number } => {
        let e = add.get(id);
        if (e === undefined) add.set(id, (e = { shown: 0, clicks: 0 }));
        return e;
      };
      for (const r of rows) for (const id of r.itemIds) entry(id).shown++;
      for (const id of attributedClicks) entry(id).clicks++;
      for (const [id, e] of add) this.s.feedbackAdd.run(id, e.shown, e.clicks);
    })();
  }

  logExposures(rows: readonly ExposureRow[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.exposure.run(r.experimentId, r.shopperId, r.variant, r.ts);
    })();
  }

  putExperiment(e: ExperimentRecord): void {
    this.s.putExperiment.run(e.id, e.name, e.status, JSON.stringify(e.variants), e.createdAt, e.stoppedAt);
  }

  getExperiment(id: string): ExperimentRecord | undefined {
    const row = this.s.getExperiment.get(id) as ExperimentRow | undefined;
    return row === undefined ? undefined : experimentFromRow(row);
  }

  listExperiments(): ExperimentRecord[] {
    return (this.s.listExperiments.all() as ExperimentRow[]).map(experimentFromRow);
  }

  putJob(j: JobRecord): void {
    const json = (v: unknown): string | null => (v === null ? null : JSON.stringify(v));
    this.s.putJob.run(j.id, j.kind, j.status, JSON.stringify(j.params), json(j.progress), json(j.result), json(j.error), j.createdAt, j.startedAt, j.finishedAt);
  }

  getJob(id: string): JobRecord | undefined {
    const row = this.s.getJob.get(id) as JobRow | undefined;
    return row === undefined ? undefined : jobFromRow(row);
  }

  listJobs(limit: number): JobRecord[] {
    return (this.s.listJobs.all(limit) as JobRow[]).map(jobFromRow);
  }

  interactionsOf(shopperId: string): { itemIds: string[]; types: number[] } {
    const [ids, types] = this.s.interactions.get(shopperId) as [string, string];
    return { itemIds: JSON.parse(ids) as string[], types: JSON.parse(types) as number[] };
  }

  interactionsWith(itemId: string): { shopperIds: string[]; types: number[] } {
    const [ids, types] = this.s.interactionsWith.get(itemId) as [string, string];
    return { shopperIds: JSON.parse(ids) as string[], types: JSON.parse(types) as number[] };
  }

  countEventKeys(keys: readonly string[]): number {
    let n = 0;
    this.db.transaction(() => {
      for (const k of keys) if (this.s.eventKey.get(k) !== undefined) n++;
    })();
    return n;
  }
}
