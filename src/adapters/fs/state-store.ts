import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  fstatSync,
  fsync,
  fsyncSync,
  open as openFd,
  readSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DigestSet } from '../../core/encrypt/digest-set.js';
import type { StateHeader, StateStore } from '../../core/encrypt/ports.js';
import type { ObjectRef, ObjectResult } from '../../core/encrypt/types.js';
import { UsageError } from '../../core/errors.js';
import { checkPath, makeDirs, pathError, pathFsError, type CheckedPath, type PathUse } from './user-path.js';

const STATE: PathUse = {
  flag: '--state',
  fix: 'choose another --state path (or --no-state); nothing was written',
  code: 'BadStatePath',
};
/** Our header is one short JSON line; a first line longer than this is not ours. */
const HEADER_BYTES = 64 * 1024;

/**
 * The resume file: JSON lines, appended as objects finish.
 *   {"s3encrypt":"state","v":1,"bucket":..,"kmsKey":..,"inputs":..,"createdAt":..}   first line
 *   {"t":"r","k":key,"v":versionId|null,"a":action,"o":outcome}                         a result
 *   {"t":"u?","k":key,"at":ms,"x":[ids listed before]} then {"t":"u+","k":key,"u":uploadId} / {"t":"u-",...}     multipart about to open / opened / closed
 *
 * Durability: each line is written with write(2) the moment its object finishes, so a killed
 * process (kill -9) loses none; fsync runs every `fsyncEvery` lines (the run's concurrency) and at
 * least once a second, so after a power loss at most that many finished objects are redone. A
 * rerun HEADs each redone object first, finds it compliant, and writes nothing.
 *
 * Memory: finished objects are kept as 96-bit digests of key+version in a DigestSet (12-24 bytes
 * each: ~192 MiB for 10 million objects), never as the key strings.
 */
export async function openState(path: string, header: StateHeader, fsyncEvery: number): Promise<StateStore> {
  const finished = new DigestSet();
  const uploads = new Map<string, string>();
  const intents = new Map<string, { since: number; existing?: string[] }>();
  let resumed = 0;
  const checked = await checkStateFile(path, header);
  if (checked.exists) {
    let first = true;
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        let rec: Record<string, unknown>;
        try {
          rec = JSON.parse(line) as Record<string, unknown>;
        } catch {
          // The one partial line a kill -9 can leave behind; anything it described is redone.
          continue;
        }
        if (first) {
          // The header, checked by checkStateFile() above.
          first = false;
          continue;
        }
        // Finished: proved compliant by a read-back, or proved absent. (`gone`, written by
        // versions that believed a bare 404, is not taken as proof: such objects are looked at again.)
        if (rec.t === 'r' && (rec.o === 'done' || rec.o === 'vanished')) {
          if (finished.add(...digest(String(rec.k), rec.v as string | null | undefined))) resumed++;
        } else if (rec.t === 'u?')
          intents.set(String(rec.k), {
            since: Number(rec.at),
            ...(Array.isArray(rec.x) ? { existing: rec.x.map(String) } : {}),
          });
        else if (rec.t === 'u+') {
          uploads.set(String(rec.u), String(rec.k));
          intents.delete(String(rec.k));
        } else if (rec.t === 'u-') {
          // A `u-` written without `u` (JSON has no undefined) closes an intent whose upload never opened.
          if (!('u' in rec)) intents.delete(String(rec.k));
          else uploads.delete(String(rec.u));
        }
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw pathFsError(STATE, path, err);
    }
  }
  await makeDirs(checked, STATE, path);
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) =>
      openFd(path, 'a+', (err, fd) => (err ? reject(err) : resolve(fd))),
    );
  } catch (err) {
    throw pathFsError(STATE, path, err);
  }
  const size = fstatSync(fd).size;
  if (size === 0) {
    writeSync(
      fd,
      `${JSON.stringify({ s3encrypt: 'state', v: 1, ...header, createdAt: new Date().toISOString() })}\n`,
    );
  } else if (!endsWithNewline(fd, size)) {
    // A partial last line must not swallow the next record.
    writeSync(fd, '\n');
  }
  fsyncSync(fd);

  let unsynced = 0;
  let closed = false;
  let syncing: Promise<void> | undefined;
  // fsync runs on the libuv pool: a synchronous one stalled every request in flight for the
  // length of a disk flush (bench/encrypt/RESULTS.md). write(2) has already put
  // each line in the page cache, which is all a kill -9 needs; fsync bounds a power loss.
  const sync = (): void => {
    if (unsynced === 0 || closed || syncing) return;
    unsynced = 0;
    syncing = new Promise<void>((resolve) => fsync(fd, () => resolve())).finally(() => (syncing = undefined));
  };
  const timer = setInterval(sync, 1000);
  timer.unref();
  const append = (rec: Record<string, unknown>): void => {
    if (closed) return;
    writeSync(fd, `${JSON.stringify(rec)}\n`);
    if (++unsynced >= fsyncEvery) sync();
  };

  return {
    resumedCount: resumed,
    isFinished(ref: ObjectRef) {
      return finished.has(...digest(ref.key, ref.versionId));
    },
    openUploads() {
      return [
        ...[...uploads].map(([uploadId, key]) => ({ key, uploadId })),
        ...[...intents].map(([key, i]) => ({ key, ...i })),
      ];
    },
    recordUploadIntent(key, at, existing) {
      append({ t: 'u?', k: key, at, ...(existing ? { x: existing } : {}) });
    },
    recordResult(ref: ObjectRef, r: ObjectResult) {
      append({ t: 'r', k: ref.key, v: ref.versionId ?? null, a: r.action, o: r.outcome });
    },
    recordUploadOpened(key, uploadId) {
      append({ t: 'u+', k: key, u: uploadId });
    },
    recordUploadClosed(key, uploadId) {
      append(uploadId === undefined ? { t: 'u-', k: key } : { t: 'u-', k: key, u: uploadId });
    },
    async close() {
      if (closed) return;
      clearInterval(timer);
      closed = true;
      await syncing;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

function digest(key: string, versionId: string | null | undefined): [number, number, number] {
  const h = createHash('sha256')
    .update(key)
    .update('\u0000')
    .update(versionId ?? '')
    .digest();
  return [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8)];
}

function endsWithNewline(fd: number, size: number): boolean {
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, size - 1);
  return b[0] === 0x0a;
}

/**
 * Refuses a --state path this run must not use, before any request and without writing: a path
 * checkPath() refuses, or an existing file that is not empty and does not start with our header
 * (a file of the user's: appending records to it would damage it), or the header of another
 * bucket (or, when `want.kmsKey` is known, of another key). Reads at most the first 64 KiB.
 */
export async function checkStateFile(
  path: string,
  want: { bucket: string; kmsKey?: string | undefined },
): Promise<CheckedPath> {
  const checked = await checkPath(path, 'file', STATE);
  if (!checked.exists) return checked;
  let head: Buffer;
  let size: number;
  try {
    const fh = await open(path, 'r');
    try {
      size = (await fh.stat()).size;
      const buf = Buffer.alloc(Math.min(size, HEADER_BYTES));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw pathFsError(STATE, path, err);
  }
  if (size === 0) return checked;
  checkHeader(path, headerOf(head), want);
  return checked;
}

/** The first line as a JSON object, or undefined when it is not one. */
function headerOf(head: Buffer): Record<string, unknown> | undefined {
  const nl = head.indexOf(10);
  if (nl < 0) return undefined;
  try {
    const rec = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, nl))) as unknown;
    return typeof rec === 'object' && rec !== null && !Array.isArray(rec)
      ? (rec as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function checkHeader(
  path: string,
  rec: Record<string, unknown> | undefined,
  want: { bucket: string; kmsKey?: string | undefined },
): void {
  if (rec?.s3encrypt !== 'state')
    throw pathError(
      {
        ...STATE,
        code: 'BadStateFile',
        fix: 'choose another --state path, or delete the file if you do not need it; it was not changed',
      },
      path,
      'this file is not an s3-encrypt state file (its first line is not our header)',
    );
  if (rec.bucket !== want.bucket)
    throw new UsageError(
      `state file ${path} belongs to bucket ${String(rec.bucket)}, not ${want.bucket}`,
      'choose another --state path for this run (or leave --state out for the default); the file was not changed',
      'BadStateFile',
    );
  if (want.kmsKey !== undefined && rec.kmsKey !== want.kmsKey)
    throw new UsageError(
      `state file ${path} was written for key ${String(rec.kmsKey)}, not ${want.kmsKey}`,
      'choose another --state path for this run (objects finished under another key are not finished under this one); the file was not changed',
      'BadStateFile',
    );
}
