import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './inflate-protocol.js';

/**
 * gunzip on one shared worker thread. With zlib's stream on the main thread, which classifies
 * every row, every 64 KiB of output also cost a round trip through the event loop (about a fifth
 * of the run on a 2-core machine). The worker inflates ahead, within a bounded window, and hands
 * over 256 KiB batches. One worker serves every data file being read, so memory does not grow
 * with --concurrency. With `indexFields`, it also finds the field boundaries of simply quoted CSV
 * rows (line-index.ts). Since the main thread's byte path got faster, the worker bounds an
 * 8-file run: the MD5 of the compressed bytes is taken here, on the main thread (a local file's
 * bytes, read by the worker, come back once zlib has them, and their buffers go back for reuse).
 * The worker is inflate-worker.ts; the messages are inflate-protocol.ts.
 */

/**
 * The worker's file, next to this module's and with the same extension: the bundle
 * dist/s3-encrypt.mjs starts dist/inflate-worker.mjs (scripts/bundle.mjs builds both, and both
 * are in the package's `files`), tsc's dist/adapters/stream/inflate-off-thread.js starts
 * inflate-worker.js, and the sources under vitest start inflate-worker.ts, which Node runs by
 * stripping its types. Node resolves a stripped file's imports as written, so the worker's one
 * runtime import names line-index.ts (tsc rewrites it to .js); its other imports are types only.
 */
const workerUrl = new URL(`./inflate-worker${extname(new URL(import.meta.url).pathname)}`, import.meta.url);

/** Inflated batches in flight towards the main thread, per file. */
const OUT_WINDOW = 4;
/**
 * Compressed 64 KiB chunks sent but not yet taken by zlib, per file. The main thread forwards
 * more only between its own batches, so the worker keeps about four batches' worth queued.
 */
const IN_WINDOW = 16;

interface Listener {
  onMessage(m: FromWorker): void;
  onWorkerError(err: Error): void;
}

let shared: { worker: Worker; listeners: Map<number, Listener>; nextId: number } | undefined;

function worker(): NonNullable<typeof shared> {
  if (shared) return shared;
  // A small young generation: the worker only moves buffers, and each MiB of it is RSS.
  const w = new Worker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: 1 } });
  const s = { worker: w, listeners: new Map<number, Listener>(), nextId: 1 };
  w.on('message', (m: FromWorker) => s.listeners.get(m.id)?.onMessage(m));
  const fail = (err: Error): void => {
    if (shared === s) shared = undefined;
    for (const l of s.listeners.values()) l.onWorkerError(err);
    s.listeners.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the inflate worker exited (code ${code})`)));
  w.unref();
  shared = s;
  return s;
}

/** Start the worker now, so its start-up overlaps finding and checking the delivery. */
export function prewarmInflater(): void {
  worker();
}

/** A zlib error from the worker, rebuilt with its code so callers can tell gzip damage apart. */
function zlibError(m: { code?: string; message: string }): Error {
  return Object.assign(new Error(m.message), m.code === undefined ? {} : { code: m.code });
}

/** One batch of inflated bytes; its memory goes back to the worker when the next is asked for. */
interface InflatedBatch {
  bytes: Buffer;
  /**
   * With `indexFields`, for a batch whose rows are all simple (see indexQuotedLines): each
   * field's closing quote, and the row count. The batch then holds whole rows only.
   */
  lines: { ends: Int32Array; rows: number } | undefined;
}

export interface Inflated {
  /** Inflated bytes, in order, in batches of about 256 KiB. */
  batches: AsyncIterable<InflatedBatch>;
  /** MD5 (hex) and length of the compressed bytes; known after the last batch. */
  compressed(): { md5: string; bytes: number };
}

/** A gzip file: a local path (read by the worker) or a stream of its bytes (S3). */
export type GzipSource = { localPath: string } | AsyncIterable<Uint8Array>;

/**
 * Streams `source` (gzip) through the shared worker. Abort with `signal`, or stop iterating:
 * the worker drops the file either way.
 */
export function inflateOffThread(
  source: GzipSource,
  signal: AbortSignal,
  opts: {
    /** Index the rows of batches of quoted CSV with this many fields (see indexQuotedLines). */
    indexFields?: number;
  } = {},
): Inflated {
  const w = worker();
  const id = w.nextId++;
  const queue: { buf: ArrayBuffer; length: number; ends: ArrayBuffer | undefined; rows: number }[] = [];
  // Boxed: the error thrown may be any value, and the box says whether there was one.
  let failure: { error: unknown } | undefined;
  const rethrow = (): void => {
    if (failure !== undefined) throw failure.error;
  };
  let summary: { md5: string; bytes: number } | undefined;
  // The compressed bytes are hashed here, where there is time to spare: the worker bounds the run.
  const hash = createHash('md5');
  let bytes = 0;
  const hashed = (chunk: Uint8Array): void => {
    hash.update(chunk);
    bytes += chunk.length;
  };
  let wakeReader: (() => void) | undefined;
  let inFlight = 0;
  let wakePump: (() => void) | undefined;
  let done = false;

  const wake = (): void => {
    const r = wakeReader;
    wakeReader = undefined;
    r?.();
    const p = wakePump;
    wakePump = undefined;
    p?.();
  };
  const close = (): void => {
    if (done) return;
    done = true;
    w.listeners.delete(id);
    w.worker.postMessage({ op: 'close', id } satisfies ToWorker);
    if (w.listeners.size === 0) w.worker.unref();
  };
  const fail = (err: unknown): void => {
    failure ??= { error: err };
    close();
    wake();
  };

  w.listeners.set(id, {
    onMessage(m) {
      if (m.type === 'read') {
        hashed(new Uint8Array(m.buf, 0, m.length));
        // Back for the next read: new ones were freed only when this thread next collected
        // garbage, which left 35 MB of them waiting on an 8-file delivery.
        w.worker.postMessage({ op: 'hashed', buf: m.buf } satisfies ToWorker, [m.buf]);
        return;
      }
      if (m.type === 'data') queue.push(m);
      else if (m.type === 'ack') inFlight--;
      else if (m.type === 'end') {
        summary = { md5: hash.digest('hex'), bytes };
        close();
      } else fail(zlibError(m));
      wake();
    },
    onWorkerError: fail,
  });
  w.worker.ref();
  const path = 'localPath' in source ? source.localPath : undefined;
  w.worker.postMessage({
    op: 'open',
    id,
    credit: OUT_WINDOW,
    path,
    fields: opts.indexFields ?? 0,
  } satisfies ToWorker);

  const onAbort = (): void => fail(signal.reason ?? new Error('aborted'));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });

  const pump = (async () => {
    if ('localPath' in source) return;
    for await (const chunk of source) {
      if (done) return;
      while (inFlight >= IN_WINDOW && !done) await new Promise<void>((r) => (wakePump = r));
      if (done) return;
      // A copy of exactly this view: the source's buffer may be shared with other data.
      const copy = new Uint8Array(chunk);
      hashed(copy);
      inFlight++;
      w.worker.postMessage({ op: 'data', id, buf: copy.buffer } satisfies ToWorker, [copy.buffer]);
    }
    if (!done) w.worker.postMessage({ op: 'end', id } satisfies ToWorker);
  })().catch(fail);

  // Batch buffers go back to the worker once read: new ones for every batch were freed only
  // when the main thread next collected garbage, which left tens of MB of them waiting.
  const giveBack = (buf: ArrayBuffer, ends: ArrayBuffer | undefined): void =>
    w.worker.postMessage({ op: 'return', buf, ends } satisfies ToWorker, ends ? [buf, ends] : [buf]);

  async function* batches(): AsyncGenerator<InflatedBatch> {
    try {
      for (;;) {
        rethrow();
        const next = queue.shift();
        if (next) {
          if (!done) w.worker.postMessage({ op: 'credit', id, n: 1 } satisfies ToWorker);
          // The caller is done with a batch when it asks for the next one.
          yield {
            bytes: Buffer.from(next.buf, 0, next.length),
            lines: next.ends ? { ends: new Int32Array(next.ends), rows: next.rows } : undefined,
          };
          giveBack(next.buf, next.ends);
          continue;
        }
        if (summary !== undefined) break;
        await new Promise<void>((r) => (wakeReader = r));
      }
      await pump;
      rethrow();
    } finally {
      signal.removeEventListener('abort', onAbort);
      close();
    }
  }

  return {
    batches: batches(),
    compressed() {
      if (summary === undefined) throw new Error('compressed() before the last batch');
      return summary;
    },
  };
}
