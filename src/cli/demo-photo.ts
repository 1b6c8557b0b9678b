import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, sameArtifact } from '../core/artifact.js';
import type { WorkspacePaths } from '../core/workspace.js';
import type { ServeContext } from '../serve/context.js';
import type { JobKind } from '../serve/jobs/job-kinds.js';
import { IndexPhotoSearch } from '../serve/photo-adapter.js';
import { imageIndexJobKind } from '../serve/photo-index-job.js';
import { indexExists } from '../vision/ann-files.js';
import { isEncoderKind } from '../vision/encoder-registry.js';
import { DEFAULT_IMAGE_INDEX, encoderDir, imageIndexPath, openImageIndex } from '../vision/image-index.js';

/**
 * Photo search for `vitrine serve` and `vitrine shop`: the adapter over the
 * workspace's image index (serve/photo-adapter.ts) and the "image-index"
 * job kind that (re)builds it in a job process. When the index exists it
 * is opened before the server listens; otherwise the shop starts the job and
 * photo search answers "not ready: building ... n%" until it is done. A
 * trained encoder saved at <workspace>/models/encoder (e.g. the CNN trained
 * on the catalog) is preferred over the classic one when its kind loads.
 */
export interface PhotoWiring {
  photoSearch: IndexPhotoSearch;
  jobKinds: Record<string, JobKind>;
  /** The saved encoder used, if any, or why it was not. */
  encoderNote: string;
  /** Opens the existing index or (when `build`) starts the job that builds it. */
  start(ctx: ServeContext, build: boolean): Promise<'opened' | 'building' | 'none'>;
}

/**
 * The saved encoder folder when it holds an encoder this vitrine can load:
 * the workspace's own (`vitrine encoder train`), else `fallback` (the demo
 * shop's committed encoder, trained on the default world's catalog).
 */
function savedEncoder(ws: WorkspacePaths, fallback?: string): { dir: string | undefined; note: string } {
  const own = join(ws.models, 'encoder');
  const dir = !existsSync(join(own, 'manifest.json')) && fallback !== undefined && existsSync(join(fallback, 'manifest.json')) ? fallback : own;
  if (!existsSync(join(dir, 'manifest.json'))) return { dir: undefined, note: 'classic encoder' };
  const kind = readManifest(dir).kind;
  if (!isEncoderKind(kind)) return { dir: undefined, note: `classic encoder (the saved "${kind}" encoder at ${dir} cannot be loaded by this version)` };
  return { dir, note: `saved ${kind} encoder (${dir})` };
}

/**
 * Whether the index should be rebuilt with the saved encoder at `savedDir`:
 * 'classic' when the index was made by the classic encoder, 'changed' when
 * by another version of a saved one (e.g. the committed encoder after an
 * upgrade), null when it is up to date or there is no saved encoder.
 */
export function staleIndexEncoder(indexKind: string, indexEncoderDir: string, savedDir: string | undefined): 'classic' | 'changed' | null {
  if (savedDir === undefined) return null;
  if (indexKind === 'classic') return 'classic';
  return sameArtifact(savedDir, indexEncoderDir) ? null : 'changed';
}

export function photoWiring(ws: WorkspacePaths, opts: { fallbackEncoder?: string } = {}): PhotoWiring {
  let ctx: ServeContext | undefined;
  const photoSearch = new IndexPhotoSearch({
    store: () => ctx!.store,
    item: (id) => ctx?.items.get(id),
    bundle: () => (ctx?.models.activeModelName === undefined ? undefined : ctx.models.active.bundle),
    imagesDir: ws.images,
    onError: (message, err) => ctx?.log.error({ err }, message),
  });
  const saved = savedEncoder(ws, opts.fallbackEncoder);
  const kind = imageIndexJobKind({
    indexesDir: ws.indexes,
    imagesDir: ws.images,
    ...(saved.dir === undefined ? {} : { savedEncoder: saved.dir }),
    // Photos set from a little before the build started on are embedded again (the margin covers an index write still pending then).
    onBuilt: async (result) => photoSearch.use(await openImageIndex(ws.indexes, DEFAULT_IMAGE_INDEX), typeof result.startedAt === 'number' ? { since: result.startedAt - 10_000 } : {}),
  });
  return {
    photoSearch,
    jobKinds: { 'image-index': kind },
    encoderNote: saved.note,
    async start(c, build) {
      ctx = c;
      const jobs = c.jobs;
      // Products another process imports while the server runs: embed their photos too, once there is an index.
      c.storeWatch.onProducts(() => {
        if (jobs !== undefined && photoSearch.ready && jobs.pending('image-index') === undefined) jobs.submit('image-index', {});
      });
      const indexPath = imageIndexPath(ws.indexes, DEFAULT_IMAGE_INDEX);
      if (indexExists(indexPath)) {
        const ix = await openImageIndex(ws.indexes, DEFAULT_IMAGE_INDEX);
        await photoSearch.use(ix);
        // A better encoder appeared since the index was built (a trained one over the classic, or a newer version of the saved one):
        // rebuild with it in the background, serving the old index meanwhile.
        const stale = staleIndexEncoder(ix.encoder.kind, encoderDir(indexPath), saved.dir);
        if (build && jobs !== undefined && stale !== null) jobs.submit('image-index', { encoder: 'saved', rebuild: stale === 'changed' });
        // Products with a photo that the index lacks (imported since it was built, or a photo whose index write was lost): bring it up to date.
        else if (build && jobs !== undefined && [...c.items.all()].some((it) => it.image !== null && !ix.index.has(it.id))) jobs.submit('image-index', {});
        return 'opened';
      }
      if (!build || jobs === undefined) {
        photoSearch.setStatus('there is no image index yet (build one with `vitrine index build`, or POST /api/jobs {"kind":"image-index"})');
        return 'none';
      }
      const job = jobs.submit('image-index', {});
      photoSearch.setStatus(() => {
        const j = jobs.get(job.id);
        if (j.status === 'failed') return `building the image index failed: ${j.error?.message ?? 'unknown error'}`;
        const p = j.progress;
        return p === null || p.total === 0 ? 'the image index is being built' : `the image index is being built (${p.phase}: ${Math.floor((100 * p.done) / p.total)}%)`;
      });
      return 'building';
    },
  };
}
