import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread, or gives the node arguments that run a module in
 * a child process. In the built package the entry is the compiled .js file
 * beside this one. When vitrine runs from its TypeScript sources (the
 * tests, under vitest) there is no .js to load, so the thread or process
 * first registers a small module loader (node:module register)
 * that resolves ".js" imports to the ".ts" files beside them and strips
 * their types with the TypeScript compiler (a dev dependency, used only on
 * this path). It then runs exactly the code the tests see.
 */

const SOURCE_MODE = import.meta.url.endsWith('.ts');

function loaderSource(typescriptUrl: string): string {
  return `
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from ${JSON.stringify(typescriptUrl)};
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts') && (specifier.startsWith('.') || specifier.startsWith('file:'))) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const tsUrl = url.href.slice(0, -3) + '.ts';
      if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const out = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}`;
}

function sourceModeBootstrap(entryUrl: string): string {
  const typescriptUrl = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
  const loader = `data:text/javascript,${encodeURIComponent(loaderSource(typescriptUrl))}`;
  return `const { register } = require('node:module');
register(${JSON.stringify(loader)});
import(${JSON.stringify(entryUrl)});`;
}

/** A worker running `entry` (a module next to this one, named without extension). */
export function spawnWorker(entry: string, options: WorkerOptions): Worker {
  if (!SOURCE_MODE) return new Worker(new URL(`./${entry}.js`, import.meta.url), options);
  const entryUrl = new URL(`./${entry}.ts`, import.meta.url).href;
  return new Worker(sourceModeBootstrap(entryUrl), { ...options, eval: true, execArgv: [] });
}

/**
 * Arguments for `node` that run `entry` (a module named without extension,
 * next to `base`: this file's folder unless another module's URL is given)
 * in a child process, whether vitrine runs built or from its sources.
 */
export function processEntryArgs(entry: string, base: string = import.meta.url): string[] {
  if (!base.endsWith('.ts')) return [fileURLToPath(new URL(`./${entry}.js`, base))];
  return ['-e', sourceModeBootstrap(new URL(`./${entry}.ts`, base).href)];
}
