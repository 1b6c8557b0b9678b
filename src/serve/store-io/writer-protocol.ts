import type { ShopEvent } from '../../data/schema.js';
import type { JobRecord } from '../../store/store.js';
import type { ImpressionBatch, ImpressionWriteResult, WireError } from './serve-writer.js';

/** Messages between the server thread and the writes' thread (writer-worker.ts). */
export type WriterRequest =
  | { op: 'events'; id: number; groups: readonly (readonly ShopEvent[])[] }
  | { op: 'impressions'; id: number; batch: ImpressionBatch }
  | { op: 'job'; id: number; job: JobRecord }
  | { op: 'stop' };

export type WriterReply =
  | { type: 'done'; id: number; op: 'events'; results: ({ added: number; skipped: number } | { error: WireError })[] }
  | { type: 'done'; id: number; op: 'impressions'; result: ImpressionWriteResult }
  | { type: 'done'; id: number; op: 'job' }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'external' }
  | { type: 'stopped' }
  | { type: 'fatal'; error: WireError };
