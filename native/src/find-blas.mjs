#!/usr/bin/env node
// Finds a CBLAS for the tensor kernels (tensor_gemm.c, conv.c), for
// binding.gyp: `node src/find-blas.mjs has|cflags|libs|defines|name`. It compiles and links a
// tiny program against each candidate (OpenBLAS first, as Debian's
// libopenblas-dev installs it), so "found" means "links", not "a header
// exists". When none links, `has` prints 0 and the addon builds without the
// tensor kernels (the CF kernels still build). VITRINE_BLAS=0 forces that.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROGRAM = `#include <cblas.h>
int main(void) { float a = 1, b = 2, c = 0;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.f, &a, 1, &b, 1, 0.f, &c, 1);
  return c == 2.f ? 0 : 1; }`;

/** Candidates in order of preference: [name, cflags, libs, defines]. */
const CANDIDATES = [
  ['openblas (system)', [], ['-lopenblas'], ['VITRINE_OPENBLAS']],
  ['openblas (include/openblas)', ['-I/usr/include/openblas'], ['-lopenblas'], ['VITRINE_OPENBLAS']],
  ['openblas (/usr/local)', ['-I/usr/local/include', '-I/usr/local/include/openblas'], ['-L/usr/local/lib', '-lopenblas'], ['VITRINE_OPENBLAS']],
  ['openblas (homebrew)', ['-I/opt/homebrew/opt/openblas/include'], ['-L/opt/homebrew/opt/openblas/lib', '-lopenblas'], ['VITRINE_OPENBLAS']],
  ['cblas', [], ['-lcblas'], []],
];

function links(cflags, libs) {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-blas-'));
  try {
    const src = join(dir, 't.c');
    writeFileSync(src, PROGRAM);
    const cc = process.env.CC || 'cc';
    const r = spawnSync(cc, [...cflags, src, '-o', join(dir, 't'), ...libs], { stdio: 'ignore' });
    return r.status === 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function find() {
  if (process.env.VITRINE_BLAS === '0') return undefined;
  for (const [name, cflags, libs, defines] of CANDIDATES) if (links(cflags, libs)) return { name, cflags, libs, defines };
  return undefined;
}

const found = find();
const what = process.argv[2] ?? 'has';
const out = {
  has: found ? '1' : '0',
  name: found ? found.name : 'none',
  cflags: found ? found.cflags.join(' ') : '',
  libs: found ? found.libs.join(' ') : '',
  defines: found ? ['VITRINE_HAS_BLAS', ...found.defines].join(' ') : '',
}[what];
process.stdout.write(`${out ?? ''}\n`);
