import { Worker } from 'node:worker_threads';
import { indexQuotedLines } from './line-index.js';

/**
 * gunzip + MD5 on one shared worker thread. build-manifest's speed is bound by its main thread,
 * which parses and classifies every row; with zlib's stream on the main thread, every 64 KiB of
 * output also cost a round trip through the event loop (about a fifth of the run on a 2-core
 * machine). The worker inflates ahead, within a bounded window, and hands over 256 KiB batches.
 * One worker serves every data file being read, so memory does not grow with --concurrency.
 * With `indexFields`, it also finds the field boundaries of simply quoted CSV rows (line-index.ts):
 * that moved about a fifth of the main thread's work onto this mostly idle one.
 */

/** Inflated bytes per batch (a batch may run up to one zlib chunk over). */
const BATCH = 256 * 1024;
/**
 * An indexed batch ends at its last '\n'; the part line after it (at most this long, else the
 * batch is sent whole and unindexed) starts the next batch.
 */
const MAX_TAIL = 64 * 1024;
/** Closing-quote positions per batch; a batch needing more gets a buffer of its own size. */
const ENDS = 32 * 1024;

// Plain CommonJS evaluated in the worker: it runs the same from src/ (tests) and dist/.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createGunzip } = require('node:zlib');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const BATCH = ${BATCH};
const MAX_TAIL = ${MAX_TAIL};
const CAPACITY = ${BATCH + 65536 + MAX_TAIL};
const ENDS = ${ENDS};
const indexQuotedLines = (${indexQuotedLines.toString()});
const EMPTY = Buffer.alloc(0);
const streams = new Map();
const free = [];
const freeEnds = [];
let sink;
function keepEnds(ends) {
  if (ends.byteLength === ENDS * 4 && freeEnds.length < 16) freeEnds.push(ends);
}
function index(s, out, length) {
  let ends = freeEnds.pop() || new ArrayBuffer(ENDS * 4);
  let rows = indexQuotedLines(out, length, s.fields, new Int32Array(ends));
  if (rows === -2) {
    keepEnds(ends);
    // Every field takes at least 3 bytes ("",), so this always fits.
    ends = new ArrayBuffer((Math.ceil(length / 3) + 1) * 4);
    rows = indexQuotedLines(out, length, s.fields, new Int32Array(ends));
  }
  if (rows >= 0) return { ends, rows };
  keepEnds(ends);
  return undefined;
}
function send(id, s, last) {
  if (s.size === 0 && s.tail.length === 0) return;
  const buf = free.pop() || new ArrayBuffer(CAPACITY);
  const out = Buffer.from(buf);
  let at = s.tail.copy(out, 0);
  for (const p of s.parts) { p.copy(out, at); at += p.length; }
  let length = at;
  let lines;
  if (s.fields > 0) {
    const startsLine = s.startsLine;
    s.tail = EMPTY;
    if (!last) {
      const nl = out.lastIndexOf(10, at - 1);
      s.startsLine = nl >= 0 && at - nl - 1 <= MAX_TAIL;
      if (s.startsLine) {
        length = nl + 1;
        s.tail = Buffer.from(out.subarray(length, at));
      }
    }
    // A batch that does not begin at a line start cannot be indexed: its first row is a part.
    if (startsLine) lines = index(s, out, length);
  }
  const transfer = lines ? [buf, lines.ends] : [buf];
  parentPort.postMessage({ id, type: 'data', buf, length, ends: lines?.ends, rows: lines?.rows ?? -1 }, transfer);
  s.parts = []; s.size = 0; s.credit--;
  if (s.credit <= 0) s.gz.pause();
}
function open(id, credit, path, fields) {
  const s = { gz: createGunzip({ chunkSize: 65536 }), hash: createHash('md5'), parts: [], size: 0, credit, bytes: 0, file: undefined, fields, tail: EMPTY, startsLine: true };
  s.gz.on('data', (c) => {
    s.parts.push(c); s.size += c.length;
    // zlib hands out a new 64 KiB buffer per chunk, freed only when the young generation is
    // collected, and the few bytes of JS each one costs take thousands of chunks to fill it:
    // 40-50 MB of dead buffers. About 24 KiB of short-lived garbage per chunk makes the
    // collector run every few MB of output instead.
    for (let i = 0; i < 3; i++) sink = new Array(1024);
    if (s.size >= BATCH) send(id, s, false);
  });
  s.gz.on('end', () => {
    send(id, s, true);
    streams.delete(id);
    parentPort.postMessage({ id, type: 'end', md5: s.hash.digest('hex'), bytes: s.bytes });
  });
  const fail = (e) => {
    if (!streams.has(id)) return;
    streams.delete(id);
    if (s.file) s.file.destroy();
    parentPort.postMessage({ id, type: 'error', code: e.code, message: e.message });
  };
  s.gz.on('error', fail);
  streams.set(id, s);
  if (path !== undefined) {
    // Read here, not on the main thread: it would feed zlib only between its own parsing.
    s.file = createReadStream(path, { highWaterMark: 65536 });
    s.file.on('data', (c) => { s.hash.update(c); s.bytes += c.length; });
    s.file.on('error', fail);
    s.file.pipe(s.gz);
  }
}
parentPort.on('message', (m) => {
  if (m.op === 'return') {
    if (free.length < 64) free.push(m.buf);
    if (m.ends) keepEnds(m.ends);
    return;
  }
  if (m.op === 'open') return open(m.id, m.credit, m.path, m.fields);
  const s = streams.get(m.id);
  if (!s) return;
  if (m.op === 'data') {
    const chunk = Buffer.from(m.buf);
    s.hash.update(chunk);
    s.bytes += chunk.length;
    s.gz.write(chunk, () => parentPort.postMessage({ id: m.id, type: 'ack' }));
  } else if (m.op === 'end') s.gz.end();
  else if (m.op === 'credit') { s.credit += m.n; if (s.credit > 0) s.gz.resume(); }
  else if (m.op === 'close') { streams.delete(m.id); if (s.file) s.file.destroy(); s.gz.destroy(); }
});
`;

/** Inflated batches in flight towards the main thread, per file. */
const OUT_WINDOW = 4;
/**
 * Compressed 64 KiB chunks sent but not yet taken by zlib, per file. The main thread forwards
 * more only between its own batches, so the worker keeps about four batches' worth queued.
 */
const IN_WINDOW = 16;

type FromWorker =
  | {
      id: number;
      type: 'data';
      buf: ArrayBuffer;
      length: number;
      ends: ArrayBuffer | undefined;
      rows: number;
    }
  | { id: number; type: 'ack' }
  | { id: number; type: 'end'; md5: string; bytes: number }
  | { id: number; type: 'error'; code?: string; message: string };

interface Listener {
  onMessage(m: FromWorker): void;
  onWorkerError(err: Error): void;
}

let shared: { worker: Worker; listeners: Map<number, Listener>; nextId: number } | undefined;

function worker(): NonNullable<typeof shared> {
  if (shared) return shared;
  // A small young generation: the worker only moves buffers, and each MiB of it is RSS.
  const w = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
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
export interface InflatedBatch {
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
  let failure: unknown;
  let summary: { md5: string; bytes: number } | undefined;
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
    w.worker.postMessage({ op: 'close', id });
    if (w.listeners.size === 0) w.worker.unref();
  };
  const fail = (err: unknown): void => {
    failure ??= err;
    close();
    wake();
  };

  w.listeners.set(id, {
    onMessage(m) {
      if (m.type === 'data') queue.push(m);
      else if (m.type === 'ack') inFlight--;
      else if (m.type === 'end') {
        summary = { md5: m.md5, bytes: m.bytes };
        close();
      } else fail(zlibError(m));
      wake();
    },
    onWorkerError: fail,
  });
  w.worker.ref();
  const path = 'localPath' in source ? source.localPath : undefined;
  w.worker.postMessage({ op: 'open', id, credit: OUT_WINDOW, path, fields: opts.indexFields ?? 0 });

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
      inFlight++;
      w.worker.postMessage({ op: 'data', id, buf: copy.buffer }, [copy.buffer]);
    }
    if (!done) w.worker.postMessage({ op: 'end', id });
  })().catch(fail);

  // Batch buffers go back to the worker once read: new ones for every batch were freed only
  // when the main thread next collected garbage, which left tens of MB of them waiting.
  const giveBack = (buf: ArrayBuffer, ends: ArrayBuffer | undefined): void =>
    w.worker.postMessage({ op: 'return', buf, ends }, ends ? [buf, ends] : [buf]);

  async function* batches(): AsyncGenerator<InflatedBatch> {
    try {
      for (;;) {
        if (failure !== undefined) throw failure;
        const next = queue.shift();
        if (next) {
          if (!done) w.worker.postMessage({ op: 'credit', id, n: 1 });
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
      if (failure !== undefined) throw failure;
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
