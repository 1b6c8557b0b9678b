import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { BINARY_SIGNAL } from '../../data/interactions.js';
import { describeProtocol, formatTable, keepImagedItems, parseProtocol, prepareVisualInputs, rowToJson, runExperiment, visualNeed } from '../../evaluate/index.js';
import { resolveEncoder } from '../../vision/encoder-registry.js';
import { MODEL_KINDS, type ModelKind } from '../../recommend/recommender.js';
import { jsonOption, nonNegativeInt, positiveInt, openWorkspace, printJson, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { loadDataset } from '../dataset-source.js';
import { createProgress } from '../progress.js';

interface EvaluateOptions extends CommonOptions {
  data?: string;
  format?: string;
  models: string;
  protocol: string;
  seed?: number;
  tune?: boolean;
  binary?: boolean;
  imageSize: number;
  encoder: string;
  imagedOnly?: boolean;
}

/** Parses "pop,als" into model kinds, rejecting unknown names. */
export function parseModelList(s: string): ModelKind[] {
  const kinds = s.split(',').map((m) => m.trim()).filter(Boolean);
  if (kinds.length === 0) fail('INVALID_ARGUMENT', '--models is empty');
  for (const k of kinds) {
    if (!(MODEL_KINDS as readonly string[]).includes(k)) {
      fail('INVALID_ARGUMENT', `unknown model "${k}"`, { hint: `models: ${MODEL_KINDS.join(', ')}` });
    }
  }
  return kinds as ModelKind[];
}

/** `vitrine evaluate`: offline evaluation of several models under one stated protocol. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('train and evaluate models offline under a stated protocol (full ranking unless sampled)')
    .option('--data <path>', 'dataset to evaluate on: a store file or any importable dataset (default: the workspace store)')
    .option('-f, --format <format>', 'format of --data when it is not detected')
    .option('-m, --models <list>', `comma-separated models (${MODEL_KINDS.join(', ')})`, 'pop,itemknn,als,bpr')
    .option(
      '-p, --protocol <protocol>',
      'leave-last-out | time-cutoff[-0.8] | random[-0.2] | stratified[-0.2], optionally ", sampled-100"',
      'leave-last-out',
    )
    .option('--seed <n>', 'seed of the split and the models (default 42)', nonNegativeInt('--seed'))
    .option('--tune', 'choose hyperparameters on a validation split cut from the training data, then refit')
    .option('--binary', 'every (shopper, item) pair counts 1 (the MovieLens reference protocol) instead of weighted events')
    .option('--image-size <n>', 'side of the item images the visual models (vbpr, dvbpr, visual-hybrid) read', positiveInt('--image-size'), 64)
    .option('--encoder <spec>', 'image features for vbpr: "classic", a saved encoder folder or an .onnx model', 'classic')
    .option('--imaged-only', 'keep only items that have an image, and the events on them (e.g. the H&M subset)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (opts: EvaluateOptions) => {
      const models = parseModelList(opts.models);
      const protocol = parseProtocol(opts.protocol);
      const ws = openWorkspace(opts);
      const progress = createProgress({ quiet: opts.quiet === true || opts.json === true });
      try {
        const loaded = await loadDataset(opts.data, ws, { ...(opts.format ? { format: opts.format } : {}), onProgress: progress.report });
        const dataset = opts.imagedOnly === true ? keepImagedItems(loaded) : loaded;
        const interactions = opts.binary === true ? BINARY_SIGNAL : {};
        // "classic" is the baseline at --image-size (prepareVisualInputs' default); anything else is resolved.
        const encoder = models.some((m) => visualNeed(m) === 'features') && opts.encoder !== 'classic' ? await resolveEncoder(opts.encoder) : undefined;
        const visual = await prepareVisualInputs(dataset, models, {
          imagesDir: ws.images, size: opts.imageSize, onProgress: progress.report, ...(encoder ? { encoder } : {}),
        }).finally(() => encoder?.dispose?.());
        const rows = await runExperiment({
          dataset,
          models,
          visual,
          protocol,
          interactions,
          tune: opts.tune === true,
          ...(opts.seed === undefined ? {} : { seed: opts.seed }),
          onProgress: progress.report,
        });
        progress.stop();
        if (opts.json) {
          printJson(rows.map(rowToJson));
          return;
        }
        const first = rows[0];
        const counts = first ? { trainPairs: first.trainPairs, testPairs: first.testPairs, users: first.users } : undefined;
        for (const line of describeProtocol(protocol, interactions, counts)) console.log(line);
        console.log(`dataset: ${dataset.name} (${dataset.users.size} shoppers, ${dataset.items.size} items, ${dataset.events.user.length} events)`);
        if (visual.report !== undefined) {
          const r = visual.report;
          const features = visual.features === undefined ? '' : `; vbpr features: ${visual.features.source ?? 'encoder'} (${visual.features.dim}-d)`;
          console.log(`item images: ${r.withImage - r.skipped} read at ${opts.imageSize}x${opts.imageSize} (${r.skipped} unreadable)${features}`);
        }
        console.log('');
        console.log(formatTable(rows));
      } finally {
        progress.stop();
      }
    });
}
