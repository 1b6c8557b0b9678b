import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { Recommender } from '../../recommend/recommender.js';
import { VbprModel } from '../../recommend/vbpr.js';
import { VisualHybridModel } from '../../recommend/visual-hybrid.js';
import type { JobRecord, Store } from '../../store/store.js';
import type { ServeConfig } from '../config.js';
import type { ItemCatalog } from '../item-catalog.js';
import type { ModelCatalog } from '../models/model-catalog.js';
import { UPLOADS_DIR } from '../product-images.js';
import type { JobRunner } from './job-runner.js';

/**
 * Scheduled retraining (`vitrine serve --retrain-every <minutes>`). Fold-in
 * keeps a shopper's recommendations current within a second, but the
 * model's item side only moves when it is trained again: products added
 * since (a seller's new arrivals) are not ranked at all, and the factors of
 * the others age. Every `retrain.everyMs` this checks the served model
 * against the store and, when the store holds at least
 * `retrain.minNewEvents` events more than the model was trained on or
 * products the model does not know, queues a "train" job for the same kind,
 * hyperparameters and name, with held-out evaluation; the job runs in its
 * own process at idle priority and the server swaps the new model in when
 * it is done (context.ts: a job that retrains the active model activates
 * it). Nothing is queued while another training job is queued or running.
 * A VBPR model (or a visual hybrid over one) is retrained only when it read
 * the classic encoder's features, the ones a training job computes; one
 * over a saved CNN's features, and DVBPR (its image size and a fit of
 * minutes), are retrained with `vitrine train`. For such a visual model a
 * product photo a seller uploaded since the training (a file under
 * <images>/uploads/ newer than the training's start) is a reason too: the
 * model still holds the old photo's features.
 */
export interface RetrainDeps {
  config: Readonly<ServeConfig>;
  store: Store;
  items: ItemCatalog;
  models: ModelCatalog;
  /** The server's job runner, when it runs jobs. */
  jobs: () => JobRunner | undefined;
  log: Logger;
  /** The product images folder (for photos uploaded since training), when the server has one. */
  imagesDir?: string;
}

export interface RetrainDecision {
  /** The job queued, or null. */
  job: JobRecord | null;
  /** Why (or why not), for the log and the tests. */
  reason: string;
}

/** What the dashboard shows: the schedule and its last decision. */
export interface RetrainStatus {
  /** Minutes between checks; null: no schedule (retraining by hand only). */
  everyMinutes: number | null;
  minNewEvents: number;
  last: { at: string; reason: string; jobId: string | null } | null;
}

const PLAIN = new Set(['pop', 'itemknn', 'als', 'bpr', 'content', 'hybrid']);

/** Why a training job would not reproduce the model, or null when it would. */
function notRetrainable(model: Recommender): string | null {
  if (PLAIN.has(model.kind)) return null;
  const visual = model instanceof VisualHybridModel ? model.parts().visual : model;
  if (!(visual instanceof VbprModel)) return 'DVBPR (its own image size, a fit of minutes) is retrained with `vitrine train`';
  const source = visual.featureSource();
  return source === 'classic' ? null : `its VBPR part read ${source ?? 'unrecorded'} image features, which \`vitrine train --encoder\` gives it again`;
}

export class RetrainScheduler {
  private timer: NodeJS.Timeout | undefined;
  private last: RetrainStatus['last'] = null;

  constructor(private readonly d: RetrainDeps) {}

  status(): RetrainStatus {
    const { everyMs, minNewEvents } = this.d.config.retrain;
    return { everyMinutes: everyMs > 0 && this.d.jobs() !== undefined ? everyMs / 60_000 : null, minNewEvents, last: this.last };
  }

  /** Starts the periodic check (unref'd); no-op when retraining is off or there is no job runner. */
  start(): void {
    const every = this.d.config.retrain.everyMs;
    if (every <= 0 || this.d.jobs() === undefined || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      try {
        const r = this.check();
        if (r.job !== null) this.d.log.info({ job: r.job.id }, `scheduled retraining: ${r.reason}`);
      } catch (e) {
        this.d.log.error({ err: e }, 'scheduled retraining check failed');
      }
    }, every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One check: queues a retraining of the served model when the store has
   * moved on enough, or (`force`, the dashboard's button) whenever it can.
   */
  check(opts: { force?: boolean } = {}): RetrainDecision {
    const r = this.decide(opts.force === true);
    this.last = { at: new Date().toISOString(), reason: r.reason, jobId: r.job?.id ?? null };
    return r;
  }

  private decide(force: boolean): RetrainDecision {
    const { models } = this.d;
    const jobs = this.d.jobs();
    if (jobs === undefined) return { job: null, reason: 'this server runs no jobs' };
    const name = models.activeModelName;
    if (name === undefined) return { job: null, reason: 'no model is served' };
    const { model, items, info } = models.active.bundle;
    const why = notRetrainable(model);
    if (why !== null) return { job: null, reason: `the served model "${name}" is not retrained here: ${why}` };
    const busy = jobs.pending('train');
    if (busy !== undefined) return { job: null, reason: `training job ${busy.id} is ${busy.status}` };
    const newEvents = this.d.store.counts().events - info.dataset.events;
    let newItems = 0;
    for (const it of this.d.items.all()) if (!items.has(it.id)) newItems++;
    // Only a visual model holds features of the photos (notRetrainable above let through the ones a job recomputes).
    const visual = !PLAIN.has(model.kind);
    const photos = visual ? this.photosSince(Date.parse(info.createdAt) - 1000 * info.fitSeconds, items) : 0;
    const min = this.d.config.retrain.minNewEvents;
    const events = Math.max(0, newEvents);
    if (!force && newEvents < min && newItems === 0 && photos === 0) return { job: null, reason: `${events} new events (retrains at ${min}) and no new products${visual ? ' or photos' : ''}` };
    const job = jobs.submit('train', { model: model.kind, name, config: { ...model.config }, evaluate: true });
    const what = visual ? `${events} new events, ${newItems} new products and ${photos} new product photos` : `${events} new events and ${newItems} new products`;
    return { job, reason: `${force ? 'asked for; ' : ''}${what} since "${name}" was trained` };
  }

  /**
   * Products the model knows whose photo is a seller's upload written after
   * `since` (ms; the model's training start, createdAt minus the fit time,
   * so a photo uploaded while it trained counts).
   */
  private photosSince(since: number, known: { has(id: string): boolean }): number {
    const dir = this.d.imagesDir;
    if (dir === undefined || !Number.isFinite(since)) return 0;
    let n = 0;
    for (const it of this.d.items.all()) {
      if (it.image === null || !known.has(it.id) || !it.image.startsWith(`${UPLOADS_DIR}/`)) continue;
      try {
        if (statSync(isAbsolute(it.image) ? it.image : join(dir, it.image)).mtimeMs > since) n++;
      } catch {
        // a photo that went missing is not a new one
      }
    }
    return n;
  }
}
