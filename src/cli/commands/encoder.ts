import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import type { WorkspacePaths } from '../../core/workspace.js';
import type { Item } from '../../data/schema.js';
import { importPath } from '../../data/importers/index.js';
import { openStore } from '../../store/index.js';
import { loadCatalogImages } from '../../vision/cnn/catalog-images.js';
import { CnnEncoder } from '../../vision/cnn/cnn-encoder.js';
import { cnnConfig, cnnImageSize, type CnnEncoderConfig } from '../../vision/cnn/config.js';
import type { EpochReport } from '../../vision/cnn/train.js';
import { jsonOption, openWorkspace, parseKeyValues, positiveInt, printJson, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { createProgress } from '../progress.js';

interface EncoderTrainOptions extends CommonOptions {
  data?: string;
  format?: string;
  epochs?: number;
  size?: number;
  out?: string;
  config?: string;
}

const PAGE = 2000;

function isSqliteFile(path: string): boolean {
  if (!statSync(path).isFile()) return false;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

/** Every product of the store at `path`. */
function storeItems(path: string): Item[] {
  if (!existsSync(path)) fail('DATASET_NOT_FOUND', `no store at ${path}`, { hint: 'run `vitrine demo`, or `vitrine import <path>` first, or pass --data <dataset>' });
  const store = openStore(path, { readonly: true });
  try {
    const items: Item[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = store.listItems({ offset, limit: PAGE });
      items.push(...page);
      if (page.length < PAGE) return items;
    }
  } finally {
    store.close();
  }
}

/** The catalog to learn from: --data (a store, or any importable dataset, read in memory), else the workspace store. */
async function catalogItems(opts: EncoderTrainOptions, ws: WorkspacePaths, onProgress: ProgressFn): Promise<{ items: Item[]; source: string }> {
  if (opts.data === undefined) return { items: storeItems(ws.store), source: ws.store };
  const data = resolve(opts.data);
  if (!existsSync(data)) fail('FILE_NOT_FOUND', `no such file or folder: ${opts.data}`);
  if (isSqliteFile(data)) return { items: storeItems(data), source: data };
  const batch = await importPath(data, { imagesDir: ws.images, onProgress, ...(opts.format ? { format: opts.format } : {}) });
  return { items: batch.items, source: data };
}

/** "epochs=20,attributes=category/colour" -> settings; slash-separated values become lists. */
function settings(config: string | undefined): Partial<CnnEncoderConfig> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config === undefined ? {} : parseKeyValues(config))) {
    const list = ['attributes', 'contrastiveAttributes', 'widths'].includes(k);
    out[k] = list ? String(v).split('/').filter(Boolean).map((s) => (k === 'widths' ? Number(s) : s)) : v;
  }
  return out as Partial<CnnEncoderConfig>;
}

function printEpoch(r: EpochReport): void {
  const sc = r.contrastiveLoss > 0 ? `, contrastive ${r.contrastiveLoss.toFixed(3)}` : '';
  process.stderr.write(`\nepoch ${r.epoch}/${r.epochs}: loss ${r.loss.toFixed(3)} (heads ${r.headLoss.toFixed(3)}${sc}), lr ${r.learningRate}, ${r.seconds.toFixed(1)} s\n`);
}

/** `vitrine encoder train`: trains the CNN image encoder on the catalog's product images. */
export function registerEncoder(program: Command): void {
  const encoder = program.commands.find((c) => c.name() === 'encoder') ?? program.command('encoder').description('the CNN image encoder trained on the shop\'s catalog');
  encoder
    .command('train')
    .description('train the CNN image encoder on the product images of the store (or --data), supervised on category and attributes; writes <workspace>/models/encoder')
    .option('--data <path>', 'learn from this store file or importable dataset instead of the workspace store')
    .option('-f, --format <format>', 'format of --data when it is not detected')
    .option('--epochs <n>', `training epochs (default ${cnnConfig().epochs})`, positiveInt('--epochs'))
    .option('--size <px>', `the CNN's input side in pixels (default ${cnnConfig().inputSize}; the descriptor heads read photos detailFactor times as wide)`, positiveInt('--size'))
    .option('-o, --out <dir>', 'write the encoder here (default <workspace>/models/encoder)')
    .option('-c, --config <k=v,...>', 'other settings, e.g. embedDim=128,headsWeight=0.85,trim=false,contrastiveWeight=0.5,attributes=category/colour (lists with /)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (opts: EncoderTrainOptions) => {
      const ws = openWorkspace(opts);
      const config = cnnConfig({ ...settings(opts.config), ...(opts.epochs ? { epochs: opts.epochs } : {}), ...(opts.size ? { inputSize: opts.size } : {}) });
      const out = opts.out === undefined ? join(ws.models, 'encoder') : resolve(opts.out);
      const quiet = opts.quiet === true || opts.json === true;
      const progress = createProgress({ quiet });
      try {
        const { items, source } = await catalogItems(opts, ws, progress.report);
        const data = await loadCatalogImages(items, { imagesDir: ws.images, size: cnnImageSize(config), background: config.background, trim: config.trim, onProgress: progress.report });
        if (data.items.length < 2) fail('DATASET_NOT_FOUND', `${source} has ${data.items.length} readable product image(s); the encoder needs at least 2`, { hint: 'import a catalog with images first' });
        const enc = await CnnEncoder.train(data, config, { onProgress: progress.report, source, ...(quiet ? {} : { onEpoch: printEpoch }) });
        await enc.save(out);
        await enc.dispose();
        progress.stop();
        const t = enc.training!;
        const summary = {
          out, source, products: data.items.length, withoutImage: data.withoutImage, unreadable: data.unreadable, unreadableExamples: data.unreadableExamples,
          encoder: enc.describe(), seconds: t.seconds, finalLoss: t.history.at(-1)?.loss ?? null,
        };
        if (opts.json) return printJson(summary);
        console.log(`trained the cnn encoder on ${data.items.length} product images of ${source} in ${t.seconds.toFixed(1)} s (${data.withoutImage} without an image, ${data.unreadable} unreadable)`);
        for (const ex of data.unreadableExamples) console.log(`  unreadable ${ex}`);
        const desc = enc.config.descriptorWeight > 0 ? `, descriptor heads (weight ${enc.config.descriptorWeight}) on the ${enc.inputSize}x${enc.inputSize} photos` : '';
        console.log(`heads: ${enc.heads.map((h) => `${h.name} (${h.classes.length})`).join(', ')}; ${enc.dim}-d embeddings, the CNN at ${enc.config.inputSize}x${enc.config.inputSize}${desc}`);
        console.log(`saved to ${out}; use it with: vitrine index build --encoder ${out}`);
      } finally {
        progress.stop();
      }
    });
}
