#!/usr/bin/env node
// Builds vitrine's optional native kernels (native/, N-API + C) at install time.
// A failed build is not fatal: vitrine then runs its plain JS kernels and says
// so once. Set VITRINE_REQUIRE_NATIVE=1 (as CI does) to make it fatal (a build
// without the BLAS tensor kernels too), or
// VITRINE_SKIP_NATIVE=1 to skip the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.VITRINE_REQUIRE_NATIVE === '1';

if (process.env.VITRINE_SKIP_NATIVE === '1') {
  console.error('vitrine: VITRINE_SKIP_NATIVE=1, native kernels not built');
  process.exit(0);
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ];
  return candidates.find((p) => p && existsSync(p));
}

const gyp = nodeGyp();
const args = ['rebuild', '--directory', join(root, 'native')];
// Node's headers ship with Debian's nodejs; node-gyp cannot download them offline.
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr');
const res = gyp
  ? spawnSync(process.execPath, [gyp, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  : { status: 1, stderr: 'node-gyp not found' };

if (res.status === 0) {
  // The tensor kernels (matmul, convolutions) need a CBLAS; native/src/find-blas.mjs decided whether they were built.
  const blas = spawnSync(process.execPath, [join(root, 'native', 'src', 'find-blas.mjs'), 'name'], { encoding: 'utf8' }).stdout.trim();
  const withBlas = blas !== '' && blas !== 'none';
  console.error(`vitrine: native kernels built (native/build/Release/vitrine_native.node), ${withBlas ? `tensor kernels over ${blas}` : 'WITHOUT the tensor kernels: no CBLAS found (install libopenblas-dev)'}`);
  process.exit(!withBlas && required ? 1 : 0);
}
const reason = (res.stderr || '').split('\n').filter((l) => /error/i.test(l)).slice(0, 5).join('\n') || 'unknown error';
console.error(`vitrine: native kernels NOT built; vitrine will use its plain JS kernels (slower).\n${reason}`);
process.exit(required ? 1 : 0);
