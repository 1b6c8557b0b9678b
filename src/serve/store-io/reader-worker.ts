import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/index.js';
import type { ReaderReply, ReaderRequest } from './reader-protocol.js';

/**
 * Entry point of the serving reads' thread (thread-reader.ts): its own
 * read-only connection answers what the request path would otherwise read
 * on the server thread (a shopper's stored interactions, on first use), so
 * a read that waits for the disk delays only the requests that need it.
 */
const { storePath } = workerData as { storePath: string };
const port = parentPort!;
const store = openStore(storePath, { readonly: true });

port.on('message', (m: ReaderRequest) => {
  if (m.op === 'stop') {
    store.close();
    port.postMessage({ type: 'stopped' } satisfies ReaderReply);
    port.close();
    return;
  }
  try {
    const { itemIds, types } = store.interactionsOf(m.shopperId);
    const known = itemIds.length > 0 || store.getShopper(m.shopperId) !== undefined;
    port.postMessage({ type: 'interactions', id: m.id, itemIds, types, known } satisfies ReaderReply);
  } catch (e) {
    port.postMessage({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) } satisfies ReaderReply);
  }
});
