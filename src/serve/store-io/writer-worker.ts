import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { commitEventGroups, toWire, writeImpressions } from './serve-writer.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

/**
 * Entry point of the serving writes' thread (thread-writer.ts): its own
 * connection to the store runs each write the server thread sends, in
 * order, and replies when it has committed. It also watches the store's
 * data_version, which changes when a connection other than this one
 * commits, and tells the server (store-watch.ts reloads the catalog then).
 * Checkpoints stay with the checkpoint thread (checkpointer.ts).
 */
const { storePath, watchMs } = workerData as { storePath: string; watchMs: number };
const port = parentPort!;
let store: Store;
try {
  store = openStore(storePath, { autoCheckpoint: false });
} catch (e) {
  port.postMessage({ type: 'fatal', error: toWire(e) } satisfies WriterReply);
  process.exit(1);
}

let version = store.dataVersion();
const watch = setInterval(() => {
  try {
    const v = store.dataVersion();
    if (v !== version) {
      version = v;
      port.postMessage({ type: 'external' } satisfies WriterReply);
    }
  } catch {
    // A failed look is retried at the next tick.
  }
}, watchMs);

port.on('message', (m: WriterRequest) => {
  if (m.op === 'stop') {
    clearInterval(watch);
    store.close();
    port.postMessage({ type: 'stopped' } satisfies WriterReply);
    port.close();
    return;
  }
  try {
    let reply: WriterReply;
    if (m.op === 'events') {
      const results = commitEventGroups(store, m.groups).map((r) => (r instanceof Error ? { error: toWire(r) } : r));
      reply = { type: 'done', id: m.id, op: 'events', results };
    } else if (m.op === 'impressions') {
      reply = { type: 'done', id: m.id, op: 'impressions', result: writeImpressions(store, m.batch) };
    } else {
      store.putJob(m.job);
      reply = { type: 'done', id: m.id, op: 'job' };
    }
    port.postMessage(reply);
  } catch (e) {
    port.postMessage({ type: 'failed', id: m.id, error: toWire(e) } satisfies WriterReply);
  }
});
