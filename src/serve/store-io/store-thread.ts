import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../jobs/spawn-worker.js';

/**
 * Starts one of the server's store threads (the writes', the reads'):
 * `onFailure` hears of an error or of an exit that `isStopping` did not
 * expect. The thread never keeps the process alive.
 */
export function startStoreThread<M>(entry: string, workerData: unknown, onMessage: (m: M) => void, onFailure: (reason: string) => void, isStopping: () => boolean, name: string): Worker {
  const w = spawnWorker(`../store-io/${entry}`, { workerData });
  w.on('message', onMessage);
  w.on('error', (e: Error) => onFailure(e.message));
  w.on('exit', (code) => {
    if (!isStopping()) onFailure(`the ${name} thread exited (code ${code})`);
  });
  w.unref();
  return w;
}

/** Asks a store thread to stop ({ op: 'stop' }: it closes its connection and answers { type: 'stopped' }), then ends it; at most ~2 s. */
export async function stopStoreThread(w: Worker): Promise<void> {
  const stopped = new Promise((r) => {
    w.once('exit', r);
    w.on('message', (m: { type?: string }) => m.type === 'stopped' && r(undefined));
  });
  w.postMessage({ op: 'stop' });
  await Promise.race([stopped, new Promise((r) => setTimeout(r, 2000).unref())]);
  await w.terminate();
}
