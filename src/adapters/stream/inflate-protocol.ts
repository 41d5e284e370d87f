/**
 * The messages between inflate-off-thread.ts (main thread) and inflate-worker.ts. Types only:
 * Node erases `import type` when it strips a .ts worker's types, so this module is never loaded.
 */

/** To the worker. `id` names one file being inflated. */
export type ToWorker =
  /** Start a file: read `path` there, or wait for `data` messages; index rows when `fields` > 0. */
  | { op: 'open'; id: number; credit: number; path: string | undefined; fields: number }
  /** A chunk of compressed bytes (transferred); the worker acks it once zlib has taken it. */
  | { op: 'data'; id: number; buf: ArrayBuffer }
  | { op: 'end'; id: number }
  /** The main thread took `n` batches: the worker may send as many more. */
  | { op: 'credit'; id: number; n: number }
  | { op: 'close'; id: number }
  /** A read buffer of a local file, hashed and handed back for reuse. */
  | { op: 'hashed'; buf: ArrayBuffer }
  /** A batch's buffers, read and handed back for reuse. */
  | { op: 'return'; buf: ArrayBuffer; ends: ArrayBuffer | undefined };

/** From the worker. */
export type FromWorker =
  | {
      id: number;
      type: 'data';
      buf: ArrayBuffer;
      length: number;
      ends: ArrayBuffer | undefined;
      rows: number;
    }
  | { id: number; type: 'ack' }
  /** Compressed bytes of a local file, read and inflated (transferred): the main thread hashes them, in order. */
  | { id: number; type: 'read'; buf: ArrayBuffer; length: number }
  | { id: number; type: 'end' }
  | { id: number; type: 'error'; code?: string; message: string };
