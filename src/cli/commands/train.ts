import { join } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { BINARY_SIGNAL } from '../../data/interactions.js';
import { visualNeed } from '../../evaluate/item-visuals.js';
import { trainBundle } from '../../evaluate/train-bundle.js';
import { saveBundle } from '../../recommend/bundle.js';
import { MODEL_KINDS, type ModelKind } from '../../recommend/recommender.js';
import { resolveEncoder } from '../../vision/encoder-registry.js';
import { jsonOption, nonNegativeInt, openWorkspace, parseKeyValues, positiveInt, printJson, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { loadDataset } from '../dataset-source.js';
import { createProgress } from '../progress.js';

interface TrainOptions extends CommonOptions {
  data?: string;
  format?: string;
  config?: string;
  name?: string;
  tune?: boolean;
  eval?: boolean;
  protocol: string;
  seed?: number;
  binary?: boolean;
  imageSize: number;
  encoder: string;
}

/** `vitrine train <model>`: evaluate on a held-out split, fit on everything, save a servable bundle. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a recommender on the store (held-out evaluation first), and save it for `vitrine recommend`')
    .argument('<model>', MODEL_KINDS.join(' | '))
    .option('--data <path>', 'train on this dataset (store file or importable dataset) instead of the workspace store')
    .option('-f, --format <format>', 'format of --data when it is not detected')
    .option('-c, --config <k=v,...>', 'hyperparameters, e.g. factors=64,alpha=2,iterations=15')
    .option('--name <name>', 'save as <workspace>/models/<name> (default: the model kind)')
    .option('--tune', 'choose hyperparameters on a validation split first')
    .option('--no-eval', 'skip the held-out evaluation')
    .option('-p, --protocol <protocol>', 'protocol of the held-out evaluation', 'leave-last-out')
    .option('--seed <n>', 'seed (default 42)', nonNegativeInt('--seed'))
    .option('--binary', 'every (shopper, item) pair counts 1 instead of weighted events')
    .option('--image-size <n>', 'side of the item images the visual models (vbpr, dvbpr, visual-hybrid) read', positiveInt('--image-size'), 64)
    .option('--encoder <spec>', 'image features for vbpr (and a visual-hybrid over it): "classic", a saved encoder folder or an .onnx model', 'classic')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (kindArg: string, opts: TrainOptions) => {
      if (!(MODEL_KINDS as readonly string[]).includes(kindArg)) {
        fail('INVALID_ARGUMENT', `unknown model "${kindArg}"`, { hint: `models: ${MODEL_KINDS.join(', ')}` });
      }
      const kind = kindArg as ModelKind;
      const name = opts.name ?? kind;
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) fail('INVALID_ARGUMENT', `model name "${name}" may use only letters, digits, _ . -`);
      const config = opts.config === undefined ? {} : parseKeyValues(opts.config);
      const ws = openWorkspace(opts);
      const progress = createProgress({ quiet: opts.quiet === true || opts.json === true });
      // "classic" is the baseline at --image-size (prepareVisualInputs' default); anything else is resolved.
      const encoder = visualNeed(kind, config) === 'features' && opts.encoder !== 'classic' ? await resolveEncoder(opts.encoder) : undefined;
      try {
        const dataset = await loadDataset(opts.data, ws, { ...(opts.format ? { format: opts.format } : {}), onProgress: progress.report });
        const { bundle, evaluation } = await trainBundle({
          dataset,
          kind,
          name,
          config,
          tune: opts.tune === true,
          evaluate: opts.eval !== false,
          protocol: opts.protocol,
          ...(opts.binary === true ? { interactions: BINARY_SIGNAL } : {}),
          ...(opts.seed === undefined ? {} : { seed: opts.seed }),
          images: { imagesDir: ws.images, size: opts.imageSize, ...(encoder ? { encoder } : {}) },
          onProgress: progress.report,
        });
        const dir = join(ws.models, name);
        await saveBundle(dir, bundle);
        progress.stop();
        if (opts.json) {
          printJson({ model: kind, name, dir, info: bundle.info, hyperparameters: bundle.model.config });
          return;
        }
        console.log(`trained ${kind} on ${dataset.name}: ${bundle.info.dataset.users} shoppers, ${bundle.info.dataset.items} items, ${bundle.info.dataset.pairs} interactions; fit ${bundle.info.fitSeconds.toFixed(2)} s`);
        console.log(`hyperparameters: ${JSON.stringify(bundle.model.config)}`);
        if (evaluation !== undefined) {
          const m = evaluation.metrics;
          const f = (k: string): string => (m[k] ?? Number.NaN).toFixed(4);
          console.log(`held-out (${evaluation.protocol}, ${evaluation.users} shoppers): hr@10 ${f('hr@10')}  ndcg@10 ${f('ndcg@10')}  recall@20 ${f('recall@20')}  map@10 ${f('map@10')}  coverage ${f('coverage')}`);
        }
        console.log(`saved to ${dir}; try: vitrine recommend --model ${name} --user <shopper id>`);
      } finally {
        progress.stop();
        encoder?.dispose?.();
      }
    });
}
