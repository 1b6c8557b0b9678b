import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/index.js';

/**
 * Entry point of the WAL checkpoint thread (checkpointer.ts): its own
 * connection to the store runs a passive checkpoint every `intervalMs`, so
 * the server thread never pays for copying WAL pages into the database file
 * and the fsync that follows.
 */
const { storePath, intervalMs } = workerData as { storePath: string; intervalMs: number };
const store = openStore(storePath);
const timer = setInterval(() => {
  try {
    const r = store.checkpoint();
    parentPort?.postMessage({ type: 'checkpoint', ...r });
  } catch (e) {
    parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}, intervalMs);
parentPort?.on('message', (m: unknown) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  store.close();
  parentPort?.close();
});
