import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { openStore } from '../../store/index.js';
import { INDEX_MODES, type IndexMode } from '../../vision/ann-config.js';
import { indexExists } from '../../vision/ann-files.js';
import { buildImageIndex } from '../../vision/build-index.js';
import { ClassicEncoder, type ClassicEncoderConfig } from '../../vision/classic-encoder.js';
import type { ImageEncoder } from '../../vision/encoder.js';
import { resolveEncoder } from '../../vision/encoder-registry.js';
import { DEFAULT_IMAGE_INDEX, imageIndexPath, openImageIndex, saveImageIndex } from '../../vision/image-index.js';
import type { OnnxEncoderOptions } from '../../vision/onnx-encoder.js';
import { jsonOption, openWorkspace, parseKeyValues, printJson, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { datasetStorePath } from '../dataset-source.js';
import { createProgress } from '../progress.js';

interface IndexBuildOptions extends CommonOptions {
  encoder?: string;
  name: string;
  config?: string;
  mode?: string;
  rebuild?: boolean;
  store?: string;
}

/** "a=1,mean=0.5/0.5/0.5" -> settings; slash-separated values become number triples (mean, std, background). */
function encoderSettings(config: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config === undefined ? {} : parseKeyValues(config))) {
    out[k] = typeof v === 'string' && v.includes('/') ? v.split('/').map(Number) : v;
  }
  return out;
}

/** The encoder to build with: the saved one when updating, else --encoder (default classic) with --config. */
async function chooseEncoder(spec: string, config: string | undefined): Promise<ImageEncoder> {
  const settings = encoderSettings(config);
  if (spec === 'classic') return new ClassicEncoder(settings as Partial<ClassicEncoderConfig>);
  if (config !== undefined && !spec.toLowerCase().endsWith('.onnx')) fail('INVALID_ARGUMENT', '--config applies to "classic" or an .onnx file, not a saved encoder');
  return resolveEncoder(spec, settings as OnnxEncoderOptions);
}

/** `vitrine index build`: embeds the catalog's product images and writes the image index next to the store. */
export function registerIndexBuild(program: Command): void {
  const index = program.commands.find((c) => c.name() === 'index') ?? program.command('index').description('image indexes for reverse image search');
  index
    .command('build')
    .description('embed every product image of the store and write (or bring up to date) an image index under <workspace>/indexes')
    .option('-e, --encoder <encoder>', 'classic | a saved encoder folder | an .onnx backbone (default: the index\'s own encoder, else classic)')
    .option('-n, --name <name>', 'index name', DEFAULT_IMAGE_INDEX)
    .option('-c, --config <k=v,...>', 'encoder settings, e.g. inputSize=224,preset=clip,layout=nchw or colourWeight=0.6 (triples as 0.5/0.5/0.5)')
    .option('--mode <mode>', `search path: ${INDEX_MODES.join(' | ')} (auto: exact up to 5,000 products, HNSW above)`)
    .option('--rebuild', 'start a new index instead of updating the existing one')
    .option('--store <db>', 'store with the products (default <workspace>/vitrine.db)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (opts: IndexBuildOptions) => {
      if (opts.mode !== undefined && !(INDEX_MODES as readonly string[]).includes(opts.mode)) {
        fail('INVALID_ARGUMENT', `unknown index mode "${opts.mode}"`, { hint: `modes: ${INDEX_MODES.join(', ')}` });
      }
      const ws = openWorkspace(opts);
      const path = imageIndexPath(ws.indexes, opts.name);
      const update = opts.rebuild !== true && opts.encoder === undefined && opts.config === undefined && opts.mode === undefined && indexExists(path);
      const existing = update ? await openImageIndex(ws.indexes, opts.name) : undefined;
      const encoder = existing?.encoder ?? (await chooseEncoder(opts.encoder ?? 'classic', opts.config));
      const store = openStore(datasetStorePath(opts.store ?? ws.store), { readonly: true });
      const progress = createProgress({ quiet: opts.quiet === true || opts.json === true });
      try {
        const r = await buildImageIndex(store, encoder, {
          imagesDir: ws.images,
          onProgress: progress.report,
          ...(existing ? { index: existing.index } : {}),
          ...(opts.mode ? { indexConfig: { mode: opts.mode as IndexMode } } : {}),
        });
        await saveImageIndex(path, r.index, encoder);
        progress.stop();
        const summary = {
          name: opts.name, path, updated: update, encoder: encoder.describe(), items: r.items, withImage: r.withImage, embedded: r.embedded,
          kept: r.kept, removed: r.removed, skipped: r.skipped, skippedExamples: r.skippedExamples, size: r.index.size,
          search: r.index.usesHnsw ? 'hnsw' : 'exact', seconds: r.seconds,
        };
        if (opts.json) return printJson(summary);
        console.log(`${update ? 'updated' : 'built'} image index "${opts.name}": ${r.index.size} products (${r.embedded} embedded now, ${r.kept} kept, ${r.removed} removed) in ${r.seconds.toFixed(1)} s`);
        console.log(`catalog: ${r.items} products, ${r.withImage} with an image; ${r.skipped} unreadable image(s) skipped`);
        for (const ex of r.skippedExamples) console.log(`  skipped ${ex}`);
        console.log(`encoder: ${encoder.kind}, ${encoder.dim}-d, ${encoder.inputSize}x${encoder.inputSize} input; search: ${summary.search}; saved to ${path}.json`);
      } finally {
        progress.stop();
        store.close();
        await encoder.dispose?.();
      }
    });
}
