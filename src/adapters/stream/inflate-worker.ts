import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { createGunzip, type Gunzip } from 'node:zlib';
import type { FromWorker, ToWorker } from './inflate-protocol.js';
// '.ts', not '.js': under vitest Node runs this file from src/ and strips its types, and resolves
// imports as written; tsc rewrites it to './line-index.js' (rewriteRelativeImportExtensions).
// See workerUrl in inflate-off-thread.ts.
import { indexQuotedLines } from './line-index.ts';

/**
 * The inflate worker (started by inflate-off-thread.ts, which says why): gunzip of every file
 * being read, in batches of about 256 KiB, optionally with the rows of each batch indexed. The
 * compressed bytes of a local file, read here, go back to the main thread to be hashed.
 */

/** Inflated bytes per batch (a batch may run up to one zlib chunk over). */
const BATCH = 256 * 1024;
/**
 * An indexed batch ends at its last '\n'; the part line after it (at most this long, else the
 * batch is sent whole and unindexed) starts the next batch.
 */
const MAX_TAIL = 64 * 1024;
/** zlib's output chunk (see open()); a batch is sent once it holds BATCH bytes, so it may run one chunk over. */
const CHUNK = BATCH;
const CAPACITY = BATCH + CHUNK + MAX_TAIL;
/** Closing-quote positions per batch; a batch needing more gets a buffer of its own size. */
const ENDS = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/**
 * Compressed bytes per read of a local file, and so per zlib write: 128 KiB took an 8-file
 * delivery from 1.10 to 1.03 s against 64 KiB (half the reads and zlib jobs, each a round trip
 * through libuv's thread pool); 256 KiB was no faster and added 25 MB of RSS.
 */
const READ = 128 * 1024;

interface Stream {
  gz: Gunzip;
  /** Chunks read from the local file that zlib has not called back for (not handed over yet). */
  unhashed: number;
  /** zlib's output has ended: 'end' goes once every chunk read was handed over. */
  inflated: boolean;
  /** Inflated chunks not yet sent, and their length. */
  parts: Buffer[];
  size: number;
  /** Batches the main thread will still take. */
  credit: number;
  /** The local file being read, until its end. */
  fd: number | undefined;
  /** Fields per row to index, or 0. */
  fields: number;
  /** The part line after the last indexed batch's last '\n'. */
  tail: Buffer;
  startsLine: boolean;
}

function noPort(): never {
  throw new Error('inflate-worker runs on a worker thread (see inflate-off-thread.ts)');
}
const port: MessagePort = parentPort ?? noPort();
const post = (m: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);

const streams = new Map<number, Stream>();
const free: ArrayBuffer[] = [];
const freeEnds: ArrayBuffer[] = [];
/** Read buffers the main thread hashed and handed back. */
const freeReads: ArrayBuffer[] = [];
/** Written, never read: see the 'data' handler in open(). */
let _garbage: unknown;

function keepEnds(ends: ArrayBuffer): void {
  if (ends.byteLength === ENDS * 4 && freeEnds.length < 16) freeEnds.push(ends);
}

function index(s: Stream, out: Buffer, length: number): { ends: ArrayBuffer; rows: number } | undefined {
  let ends = freeEnds.pop() ?? new ArrayBuffer(ENDS * 4);
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

function send(id: number, s: Stream, last: boolean): void {
  if (s.size === 0 && s.tail.length === 0) return;
  // Never more than CAPACITY by the rule above; checked all the same, as a short copy would
  // drop inflated bytes without a word (Buffer.copy stops at the end of its target).
  const need = s.tail.length + s.size;
  let buf = free.pop();
  if (buf === undefined || buf.byteLength < need) buf = new ArrayBuffer(Math.max(CAPACITY, need));
  const out = Buffer.from(buf);
  let at = s.tail.copy(out, 0);
  for (const p of s.parts) {
    p.copy(out, at);
    at += p.length;
  }
  let length = at;
  let lines: { ends: ArrayBuffer; rows: number } | undefined;
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
  post({ id, type: 'data', buf, length, ends: lines?.ends, rows: lines?.rows ?? -1 }, transfer);
  s.parts = [];
  s.size = 0;
  s.credit--;
  if (s.credit <= 0) s.gz.pause();
}

function open(id: number, credit: number, path: string | undefined, fields: number): void {
  const s: Stream = {
    // One zlib chunk per batch: inflating and this thread's work on each chunk alternate (zlib
    // waits for the callback), so fewer, larger chunks shorten the worker's share of the run,
    // which bounds build-manifest's wall time once the main thread reads rows as bytes.
    gz: createGunzip({ chunkSize: CHUNK }),
    parts: [],
    size: 0,
    credit,
    fd: undefined,
    unhashed: 0,
    inflated: false,
    fields,
    tail: EMPTY,
    startsLine: true,
  };
  s.gz.on('data', (c: Buffer) => {
    s.parts.push(c);
    s.size += c.length;
    // zlib hands out a new buffer per chunk, freed only when the young generation is
    // collected, and the few bytes of JS each one costs take thousands of chunks to fill it:
    // 40-50 MB of dead buffers. About 24 KiB of short-lived garbage per chunk makes the
    // collector run every few MB of output instead.
    for (let i = 0; i < 3; i++) _garbage = new Array(1024);
    if (s.size >= BATCH) send(id, s, false);
  });
  s.gz.on('end', () => {
    send(id, s, true);
    s.inflated = true;
    ended(id, s);
  });
  const fail = (e: NodeJS.ErrnoException): void => {
    if (!streams.has(id)) return;
    streams.delete(id);
    closeFile(s);
    post({ id, type: 'error', code: e.code, message: e.message });
  };
  s.gz.on('error', fail);
  streams.set(id, s);
  if (path !== undefined) {
    // Read here, not on the main thread: it would feed zlib only between its own parsing. Read
    // at once (readSync), as zlib asks for more: a read through libuv's thread pool was one more
    // round trip per chunk, on the threads that also inflate.
    try {
      s.fd = openSync(path, 'r');
    } catch (err) {
      fail(err as NodeJS.ErrnoException);
      return;
    }
    const feed = (): void => {
      while (streams.get(id) === s && s.fd !== undefined) {
        // An ArrayBuffer of its own: it is handed to the main thread once zlib has taken it.
        const memory = freeReads.pop() ?? new ArrayBuffer(READ);
        let chunk: Buffer;
        try {
          chunk = Buffer.from(memory, 0, readSync(s.fd, Buffer.from(memory), 0, READ, null));
        } catch (err) {
          fail(err as NodeJS.ErrnoException);
          return;
        }
        if (chunk.length === 0) {
          closeFile(s);
          s.gz.end();
          return;
        }
        // The main thread hashes what was read (the MD5 check), in order: it has time to spare,
        // and this thread bounds the run. zlib is done with the chunk when it calls back.
        const length = chunk.length;
        s.unhashed++;
        const handOver = (): void => {
          s.unhashed--;
          if (streams.get(id) !== s) return;
          post({ id, type: 'read', buf: memory, length }, [memory]);
          ended(id, s);
        };
        if (!s.gz.write(chunk, handOver)) {
          s.gz.once('drain', feed);
          return;
        }
      }
    };
    feed();
  }
}

/** 'end', once zlib's output has ended and every chunk read went to be hashed before it. */
function ended(id: number, s: Stream): void {
  if (!s.inflated || s.unhashed > 0 || streams.get(id) !== s) return;
  streams.delete(id);
  post({ id, type: 'end' });
}

function closeFile(s: Stream): void {
  if (s.fd === undefined) return;
  const fd = s.fd;
  s.fd = undefined;
  closeSync(fd);
}

port.on('message', (m: ToWorker) => {
  if (m.op === 'return') {
    if (free.length < 64) free.push(m.buf);
    if (m.ends) keepEnds(m.ends);
    return;
  }
  if (m.op === 'hashed') {
    if (freeReads.length < 16) freeReads.push(m.buf);
    return;
  }
  if (m.op === 'open') return open(m.id, m.credit, m.path, m.fields);
  const s = streams.get(m.id);
  if (!s) return;
  if (m.op === 'data') {
    s.gz.write(Buffer.from(m.buf), () => post({ id: m.id, type: 'ack' }));
  } else if (m.op === 'end') s.gz.end();
  else if (m.op === 'credit') {
    s.credit += m.n;
    if (s.credit > 0) s.gz.resume();
  } else if (m.op === 'close') {
    streams.delete(m.id);
    closeFile(s);
    s.gz.destroy();
  }
});
