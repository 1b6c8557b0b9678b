import type { Command } from 'commander';
import { ItemCatalog } from '../../serve/item-catalog.js';
import { ServingModel } from '../../serve/models/serving-model.js';
import { imageNeighbours } from '../../serve/photo-adapter.js';
import { similarCandidates, similarItems, type SimilarResult } from '../../serve/recommend/similar.js';
import { openStore } from '../../store/index.js';
import { VectorIndex } from '../../vision/ann-index.js';
import { indexExists } from '../../vision/ann-files.js';
import { DEFAULT_IMAGE_INDEX, imageIndexPath } from '../../vision/image-index.js';
import { jsonOption, numberIn, openWorkspace, positiveInt, printJson, workspaceOption, type CommonOptions } from '../common.js';
import { datasetStorePath } from '../dataset-source.js';
import { loadWorkspaceModel } from '../workspace-model.js';

interface SimilarOptions extends CommonOptions {
  k: number;
  model: string;
  visual?: number;
  index: string;
  store?: string;
}

/**
 * `vitrine similar <product>`: the product page's "similar products" from
 * the command line, the service's own ranking (serve/recommend/similar.ts):
 * the model's item similarity blended with the image index's nearest images
 * when the workspace has an index.
 */
export function registerSimilar(program: Command): void {
  program
    .command('similar')
    .description('products similar to a catalog product: the model\'s item similarity blended with how alike the product images look (with an image index)')
    .argument('<product>', 'product id')
    .option('-k, --k <n>', 'how many products', positiveInt('--k'), 10)
    .option('-m, --model <name>', 'trained model under <workspace>/models', 'als')
    .option('--visual <w>', 'weight of image similarity in [0, 1] (default 0.5; 1 for a product the model has no vector for)', numberIn('--visual', 0, 1))
    .option('--index <name>', 'image index under <workspace>/indexes (none there: the model alone)', DEFAULT_IMAGE_INDEX)
    .option('--store <db>', 'store with the products (default <workspace>/vitrine.db)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .action(async (product: string, opts: SimilarOptions) => {
      const ws = openWorkspace(opts);
      const store = openStore(datasetStorePath(opts.store ?? ws.store), { readonly: true });
      try {
        const bundle = await loadWorkspaceModel(ws, opts.model, store);
        const items = new ItemCatalog(store);
        const model = new ServingModel(opts.model, bundle, (id) => items.get(id));
        const path = imageIndexPath(ws.indexes, opts.index);
        const index = indexExists(path) ? VectorIndex.open(path) : undefined;
        const neighbours = index === undefined ? undefined : imageNeighbours(index, product, similarCandidates(opts.k));
        const r = similarItems(model, items, { itemId: product, k: opts.k, ...(opts.visual === undefined ? {} : { visualWeight: opts.visual }) }, neighbours);
        if (opts.json) {
          printJson({ itemId: product, model: opts.model, index: index === undefined ? null : opts.index, visualWeight: r.visualWeight, basis: r.basis, items: r.items.map((i) => ({ itemId: i.itemId, score: i.score, title: i.title, category: i.category })) });
          return;
        }
        const how = describeBasis(r, opts, index !== undefined, neighbours !== undefined);
        console.log(`top ${r.items.length} similar to ${product} ${how}:`);
        r.items.forEach((i, n) => console.log(`${String(n + 1).padStart(3)}. ${i.itemId.padEnd(14)} ${i.score.toFixed(4).padStart(8)}  ${i.title} [${i.category}]`));
      } finally {
        store.close();
      }
    });
}

/** How the list was ranked, in words. */
function describeBasis(r: SimilarResult, opts: SimilarOptions, hasIndex: boolean, hasImage: boolean): string {
  const w = r.visualWeight;
  switch (r.basis) {
    case 'category':
      return `as the best sellers of its category (${opts.model} does not know it and it has no indexed image)`;
    case 'attributes':
      return `by its attributes and description in ${opts.model}'s content space (${opts.model} does not know it yet${hasImage ? '' : '; no indexed image'})`;
    case 'attributes-photos':
      return `by ${(1 - w).toFixed(2)} x attribute similarity + ${w.toFixed(2)} x image similarity (${opts.model} does not know it yet)`;
    default:
      if (!hasIndex) return `by ${opts.model} alone (no image index "${opts.index}": build one with \`vitrine index build\`)`;
      if (!hasImage) return `by ${opts.model} alone (the product has no image in index "${opts.index}")`;
      return `by ${(1 - w).toFixed(2)} x ${opts.model} item similarity + ${w.toFixed(2)} x image similarity`;
  }
}
