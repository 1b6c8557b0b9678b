/** Messages between the server thread and the reads' thread (reader-worker.ts). */
export type ReaderRequest = { op: 'interactions'; id: number; shopperId: string } | { op: 'stop' };

export type ReaderReply =
  | { type: 'interactions'; id: number; itemIds: string[]; types: number[]; known: boolean }
  | { type: 'failed'; id: number; message: string }
  | { type: 'stopped' };
