import { availableParallelism, cpus, totalmem } from 'node:os';
import { cfKernels } from '../src/engine/cf/kernels.js';
import { nativeStatus } from '../src/engine/native.js';

/** The machine and backend a figure was measured on. */
export function environment(): Record<string, string | number | boolean> {
  const status = nativeStatus();
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    cfBackend: cfKernels().name,
    nativeLoaded: status.loaded,
    date: new Date().toISOString(),
  };
}
