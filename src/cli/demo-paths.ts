import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the files that ship with vitrine are: the package root (found by
 * walking up from this module to vitrine's package.json, so it works from
 * the TypeScript sources and from the compiled dist/ alike), the committed
 * default models, and the built web UI. Environment variables override
 * them (tests, or a UI built elsewhere).
 */

let cachedRoot: string | undefined;

/** The folder holding vitrine's package.json. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'vitrine') return (cachedRoot = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('vitrine: cannot find the package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The committed default model bundles ($VITRINE_DEFAULT_MODELS, else <package>/models). */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VITRINE_DEFAULT_MODELS !== undefined ? resolve(env.VITRINE_DEFAULT_MODELS) : join(packageRoot(), 'models');
}

/** The built web UI ($VITRINE_WEB_DIST, else <package>/web/dist). */
export function webDistDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VITRINE_WEB_DIST !== undefined ? resolve(env.VITRINE_WEB_DIST) : join(packageRoot(), 'web', 'dist');
}
