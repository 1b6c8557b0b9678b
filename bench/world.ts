import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressFn } from '../src/core/logger.js';
import { drawCatalog, generateWorld, renderProductPng, writeWorld, DEFAULT_WORLD_CONFIG } from '../src/data/world/index.js';

/**
 * Benchmark of the synthetic shop (`vitrine bench world`): generating a
 * large world (100,000 products, ~1,000,000 events), writing it, rendering
 * product images, and the default demo world end to end. Each figure is the
 * median of `runs`. Peak RSS is the process high-water mark (it never goes
 * down, so it bounds the largest phase run so far).
 */

export interface WorldBenchOptions {
  runs?: number;
  onProgress?: ProgressFn;
  /** Sizes, for a quick smoke run; the defaults are the scale. */
  sizes?: { items?: number; shoppers?: number; days?: number; images?: number; demo?: boolean };
}

export interface WorldBenchResult {
  suite: 'world';
  rows: Array<Record<string, string | number>>;
  notes: string[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const peakRssMb = (): number => round(process.resourceUsage().maxRSS / 1024, 0);

function folderMb(dir: string): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) bytes += statSync(join(e.parentPath, e.name)).size;
  }
  return round(bytes / 1e6, 1);
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await f();
  return [out, (performance.now() - t0) / 1000];
}

export async function runWorldBench(opts: WorldBenchOptions = {}): Promise<WorldBenchResult> {
  const runs = Math.max(1, opts.runs ?? 3);
  const size = { items: 100_000, shoppers: 8_000, days: 60, images: 500, demo: true, ...opts.sizes };
  const report = opts.onProgress ?? (() => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'vitrine-bench-world-'));
  const gen: number[] = [];
  const write: number[] = [];
  const render: number[] = [];
  const demo: number[] = [];
  let events = 0;
  let writtenMb = 0;
  let demoEvents = 0;
  let genRss = 0;
  try {
    for (let r = 0; r < runs; r++) {
      report({ phase: `generate ${size.items} products (run ${r + 1}/${runs})`, done: r, total: runs });
      const [world, g] = await timed(() => generateWorld({ items: size.items, shoppers: size.shoppers, days: size.days, seed: 7 }));
      gen.push(g);
      if (r === 0) genRss = peakRssMb();
      events = world.events.n;
      const dir = join(scratch, 'large');
      write.push((await timed(() => writeWorld(world, dir, { renderImages: false })))[1]);
      writtenMb = folderMb(dir);
      rmSync(dir, { recursive: true, force: true });

      report({ phase: `render ${size.images} images (run ${r + 1}/${runs})`, done: r, total: runs });
      const { items } = drawCatalog(size.images, 100 + r, DEFAULT_WORLD_CONFIG.startTime, 60);
      render.push((await timed(() => renderBatch(items)))[1]);

      if (size.demo) {
        report({ phase: `default world (run ${r + 1}/${runs})`, done: r, total: runs });
        const demoDir = join(scratch, 'demo');
        const [, d] = await timed(async () => {
          const w = await generateWorld({});
          demoEvents = w.events.n;
          await writeWorld(w, demoDir);
        });
        demo.push(d);
        rmSync(demoDir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  report({ phase: 'done', done: runs, total: runs });
  const rows: Array<Record<string, string | number>> = [
    { task: 'generate', items: size.items, shoppers: size.shoppers, days: size.days, events, seconds: round(median(gen)), eventsPerSec: Math.round(events / median(gen)), peakRssMb: genRss },
    { task: 'write (lazy images)', items: size.items, events, seconds: round(median(write)), megabytes: writtenMb, eventsPerSec: Math.round(events / median(write)) },
    { task: 'render images', images: size.images, seconds: round(median(render)), imagesPerSec: Math.round(size.images / median(render)) },
  ];
  if (size.demo) {
    const c = DEFAULT_WORLD_CONFIG;
    rows.push({ task: 'default world (generate + write + images)', items: c.items, shoppers: c.shoppers, days: c.days, events: demoEvents, seconds: round(median(demo)) });
  }
  return {
    suite: 'world',
    rows,
    notes: [
      `median of ${runs} run(s); peakRssMb is the process high-water mark after the first generation (${peakRssMb()} MB at the end)`,
      'images: 128x128 RGB PNG, SVG rendered by sharp (librsvg), 8 renders in flight',
    ],
  };
}

async function renderBatch(items: Parameters<typeof renderProductPng>[0][]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await renderProductPng(items[next++]!, 128, { seed: 7 });
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
