import type { FastifyInstance } from 'fastify';
import { openStore } from '../store/index.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { WalCheckpointer } from './checkpointer.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import type { ServeDeps } from './context.js';
import { ThreadReader } from './store-io/thread-reader.js';
import { ThreadWriter } from './store-io/thread-writer.js';

/**
 * Opens the store, builds the app and listens (conventions.md #10: this is
 * the only part that touches the network; buildApp stays testable with
 * inject). The caller (the CLI) owns signals and printing.
 */
export interface ServerOptions extends Omit<ServeDeps, 'store'> {
  storePath: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Runs after the app is built and before it listens (e.g. the demo shop's replayed traffic). */
  beforeListen?: (app: FastifyInstance) => Promise<void>;
}

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** The background WAL checkpoints. */
  checkpointer: WalCheckpointer;
  /** The thread that writes events, impressions and job records. */
  writer: ThreadWriter;
  /** The thread that reads shoppers' stored interactions on their first request. */
  reader: ThreadReader;
  /** Stops accepting requests, finishes jobs and flushes impressions, closes the store. */
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { storePath, host = '127.0.0.1', port = 8080, beforeListen, ...deps } = opts;
  // Checkpoints run in a background thread (checkpointer.ts), not on commit; the serving writes and first reads of a shopper in two more (store-io/).
  const store = openStore(storePath, { autoCheckpoint: false });
  // The threads' failures are logged through the app's logger once there is one (it is built with the app).
  let log: Logger = silentLogger;
  const threadLog: Logger = { debug: (o, m) => log.debug(o, m), info: (o, m) => log.info(o, m), warn: (o, m) => log.warn(o, m), error: (o, m) => log.error(o, m) };
  const writer = new ThreadWriter(store, threadLog);
  const reader = new ThreadReader(store.path, threadLog);
  if (store.path !== ':memory:') {
    writer.start();
    reader.start();
  }
  let app: FastifyInstance;
  try {
    app = await buildApp({ ...deps, store, writer, reader });
  } catch (e) {
    await Promise.all([writer.close(), reader.close()]);
    store.close();
    throw e;
  }
  if (deps.logger) log = app.log as unknown as Logger;
  try {
    await beforeListen?.(app);
    await app.listen({ host, port });
    // The job host starts now, while the server is fresh: forking the server later, under load, blocks its event loop.
    app.vitrine.jobs?.warm();
  } catch (e) {
    await app.close();
    await Promise.all([writer.close(), reader.close()]);
    store.close();
    throw e;
  }
  const checkpointer = new WalCheckpointer(store, deps.logger ? (app.log as unknown as Logger) : silentLogger);
  checkpointer.start();
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  let closing: Promise<void> | undefined;
  return {
    app,
    store,
    url,
    checkpointer,
    writer,
    reader,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await Promise.all([writer.close(), reader.close()]);
        await checkpointer.stop();
        store.close();
      })()),
  };
}
