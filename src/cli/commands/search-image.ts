import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { PHOTO_DEFAULTS, searchByPhoto, type PhotoSearchResult } from '../../recommend/photo.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { DEFAULT_IMAGE_INDEX, openImageIndex } from '../../vision/image-index.js';
import { jsonOption, numberIn, openWorkspace, positiveInt, printJson, workspaceOption, type CommonOptions } from '../common.js';
import { datasetStorePath } from '../dataset-source.js';
import { loadWorkspaceModel } from '../workspace-model.js';
import { isAvailable } from '../../data/schema.js';

interface SearchImageOptions extends CommonOptions {
  user?: string;
  k: number;
  weight: number;
  candidates: number;
  index: string;
  model: string;
  store?: string;
  excludeSeen?: boolean;
}

/** `vitrine search-image <photo>`: products that look like a photo, blended with a shopper's taste given --user. */
export function registerSearchImage(program: Command): void {
  program
    .command('search-image')
    .description('find products that look like a photo (which need not be in the catalog); with --user, blend with that shopper\'s preference')
    .argument('<photo>', 'a JPEG, PNG or WebP file')
    .option('-u, --user <id>', 'shopper whose preference is blended in (paper 002)')
    .option('-k, --k <n>', 'how many products', positiveInt('--k'), PHOTO_DEFAULTS.k)
    .option('--weight <w>', 'weight of visual similarity in the blend, in [0, 1]', numberIn('--weight', 0, 1), PHOTO_DEFAULTS.weight)
    .option('--candidates <n>', 'visual candidates re-ranked for the shopper', positiveInt('--candidates'), PHOTO_DEFAULTS.candidates)
    .option('--index <name>', 'image index under <workspace>/indexes', DEFAULT_IMAGE_INDEX)
    .option('-m, --model <name>', 'trained model under <workspace>/models for --user', 'hybrid')
    .option('--exclude-seen', 'leave out products the shopper already interacted with')
    .option('--store <db>', 'store with products and events (default <workspace>/vitrine.db)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .action(async (photo: string, opts: SearchImageOptions) => {
      const ws = openWorkspace(opts);
      const search = await openImageIndex(ws.indexes, opts.index);
      const storePath = opts.store ?? ws.store;
      const store: Store | undefined = opts.user !== undefined ? openStore(datasetStorePath(storePath), { readonly: true }) : existsSync(storePath) ? openStore(storePath, { readonly: true }) : undefined;
      try {
        const shopper = opts.user === undefined ? undefined : { bundle: await loadWorkspaceModel(ws, opts.model, store!), store: store!, shopperId: opts.user };
        // Asked for every candidate, so that leaving out unavailable products (as the service does) still leaves k.
        const result = await searchByPhoto(photo, search, {
          k: Math.max(opts.k, opts.candidates),
          weight: opts.weight,
          candidates: opts.candidates,
          ...(shopper ? { shopper } : {}),
          ...(opts.excludeSeen ? { excludeSeen: true } : {}),
        });
        const available = result.items.filter((m) => {
          const it = store?.getItem(m.itemId);
          return it === undefined || isAvailable(it);
        });
        report(photo, opts, search.encoder.kind, { ...result, items: available.slice(0, opts.k) }, store);
      } finally {
        store?.close();
        await search.encoder.dispose?.();
      }
    });
}

function report(photo: string, opts: SearchImageOptions, encoder: string, r: PhotoSearchResult, store: Store | undefined): void {
  const items = r.items.map((m) => {
    const item = store?.getItem(m.itemId);
    return { itemId: m.itemId, title: item?.title ?? null, category: item?.category ?? null, visual: m.visual, preference: m.preference, score: m.score };
  });
  if (opts.json) {
    printJson({ photo, index: opts.index, encoder, shopperId: r.shopperId, model: r.shopperId === null ? null : opts.model, weight: r.weight, source: r.source, candidates: r.candidates, items });
    return;
  }
  const how = r.shopperId === null
    ? 'by visual similarity'
    : `for shopper ${r.shopperId}: ${r.weight} x visual + ${(1 - r.weight!).toFixed(2)} x preference percentile (${opts.model}, ${r.source}) over ${r.candidates} visual candidates`;
  console.log(`top ${items.length} for ${photo} ${how}:`);
  const f = (x: number | null): string => (x === null ? '-' : x.toFixed(4)).padStart(8);
  console.log(`${'#'.padStart(3)}  ${'item'.padEnd(14)} ${'visual'.padStart(8)} ${'pref'.padStart(8)} ${'score'.padStart(8)}  product`);
  items.forEach((m, i) => {
    const label = m.title === null ? '' : `${m.title} [${m.category}]`;
    console.log(`${String(i + 1).padStart(3)}. ${m.itemId.padEnd(14)} ${f(m.visual)} ${f(m.preference)} ${f(m.score)}  ${label}`);
  });
}
