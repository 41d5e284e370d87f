import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, open as openFile, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PreconditionError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';
import { pool } from '../../core/concurrency/pool.js';
import { ManifestSummary } from '../../core/inventory/manifest-summary.js';
import type { ManifestWriter } from '../../core/inventory/ports.js';
import {
  checkPath,
  makeDirs,
  pathError,
  removeMadeDirs,
  type CheckedPath,
  type PathUse,
} from './user-path.js';
import { writeAtomically } from './atomic-write.js';

const OUT: PathUse = {
  flag: '--out',
  fix: 'choose another --out directory (a directory, or a path where one can be made); nothing was written',
  code: 'BadOutPath',
};

/**
 * Refuses an --out path before any request, creating nothing: see checkPath(). An existing
 * directory is fine, unless it holds files of the names a run writes or removes (manifests,
 * summary.json) with no summary.json of build-manifest's beside them: those are someone else's
 * files, which a run would overwrite or delete. A file, or a path under /proc, /sys or /dev, is
 * refused too.
 */
export async function checkOutDir(path: string): Promise<void> {
  const checked = await checkPath(path, 'dir', OUT);
  if (!checked.exists) return;
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch {
    return; // unreadable: the writer's open() reports it, naming the problem
  }
  const clashing = entries.filter((e) => OURS.test(e) || e === SUMMARY).sort();
  if (clashing.length === 0 || (entries.includes(SUMMARY) && (await isOurSummary(join(path, SUMMARY)))))
    return;
  throw pathError(
    OUT,
    path,
    `it already holds ${clashing.join(', ')}, which build-manifest did not write (no summary.json of its own beside ${clashing.length === 1 ? 'it' : 'them'}), and a run would replace or remove ${clashing.length === 1 ? 'it' : 'them'}`,
  );
}

const SUMMARY = 'summary.json';

/** Whether `path` is a summary.json that build-manifest wrote (by its schema; any doubt: no). */
async function isOurSummary(path: string): Promise<boolean> {
  try {
    const file = await openFile(path, 'r');
    try {
      // Our summaries are a few KB; a huge file is not one, and is not read whole.
      if ((await file.stat()).size > 1 << 20) return false;
      return ManifestSummary.safeParse(JSON.parse(await file.readFile('utf8'))).success;
    } finally {
      await file.close();
    }
  } catch {
    return false;
  }
}

/**
 * Lines are copied into buffers of this size, written to the file as they fill: 128 KiB halves
 * the write calls of 64 KiB (about 0.04 s of an 8-file delivery of 2,000,000 rows, measured when
 * each was still a round trip through libuv's thread pool).
 */
const BUFFER = 128 * 1024;
/** Lines wait as one string up to this length (or until ready()) and are then encoded in one call. */
const PENDING = 16 * 1024;

/** Files a previous run may have left in --out that this run would otherwise not replace. */
const OURS = /^(copy-[A-Z_]+|update-encryption|large|archived)\.csv$/;

interface PartFile {
  path: string;
  /** Open until close(). */
  fd: number | undefined;
  buf: Buffer;
  used: number;
  /** Lines appended since the last settle(): one string, encoded at once. */
  pending: string;
}

/**
 * Manifest files. Each data file's rows go to their own part file, and finish() joins the parts
 * in data-file order: files are read concurrently, yet the same delivery always gives the same
 * bytes (and ETags, which create-job's idempotency token is built from). Nothing gets a real
 * name before finish(), so a failed run never leaves half a manifest behind. Without `dir`, a
 * private temporary directory holds the files until upload; `keep: false` (dry run) never
 * creates `dir` at all. open() makes the directories (asynchronously, one at a time) before
 * anything is appended.
 */
export function manifestWriter(opts: { dir?: string | undefined; keep: boolean }): ManifestWriter {
  const finalDir = opts.dir === undefined ? undefined : resolve(opts.dir);
  let workDir: string | undefined = opts.keep ? finalDir : undefined;
  /** name -> part index -> file */
  const names = new Map<string, Map<number, PartFile>>();
  const joined: string[] = [];
  let failure: Error | undefined;
  let finished = false;
  /** --out did not exist before this run: a failed run removes it again. */
  let createdFinalDir = false;
  let checkedOut: CheckedPath | undefined;

  const fail = (path: string, err: Error): PreconditionError =>
    new PreconditionError(
      'CannotWriteManifest',
      `cannot write ${path}: ${fileProblem((err as NodeJS.ErrnoException).code, err.message)}`,
      finalDir
        ? 'choose another --out directory, or free space / fix permissions'
        : 'free space in the temporary directory (TMPDIR)',
      { cause: err },
    );

  const dir = (): string => {
    if (workDir === undefined) throw new Error('manifest writer used before open()');
    return workDir;
  };

  const check = (): void => {
    if (failure) throw failure;
  };

  // Buffers of closed parts, for the next parts: one per open part, whatever the file size.
  const spare: Buffer[] = [];

  /**
   * Written at once (writeSync): the main thread has time to spare, and an asynchronous write
   * was a round trip through libuv's thread pool, which zlib's inflating also waits on (about
   * 0.05 s of an 8-file delivery of 2,000,000 rows). The disk holds the run back by itself.
   */
  const write = (f: PartFile, bytes: Uint8Array): void => {
    if (f.fd === undefined) return;
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(f.fd, bytes, at, bytes.length - at);
    } catch (err) {
      throw (failure ??= fail(f.path, err as Error));
    }
  };
  const flush = (f: PartFile): void => {
    if (f.used === 0) return;
    write(f, f.buf.subarray(0, f.used));
    f.used = 0;
  };

  // Manifest lines are ASCII (URL-encoded keys), so latin1 is an exact, cheap encoding. Encoding
  // a run of lines in one call costs a third of a call per line; settling at every ready() (once
  // per input chunk) keeps the pending string from holding on to earlier input chunks, which the
  // sliced keys in it point into.
  const settle = (f: PartFile): void => {
    const text = f.pending;
    if (text.length === 0) return;
    f.pending = '';
    if (f.used + text.length > BUFFER) {
      flush(f);
      if (text.length > BUFFER) {
        write(f, Buffer.from(text, 'latin1'));
        return;
      }
    }
    f.used += f.buf.write(text, f.used, 'latin1');
  };

  const close = (f: PartFile): void => {
    const fd = f.fd;
    if (fd === undefined) return;
    settle(f);
    flush(f);
    f.fd = undefined;
    spare.push(f.buf);
    try {
      closeSync(fd);
    } catch (err) {
      throw (failure ??= fail(f.path, err as Error));
    }
  };

  const open = (): PartFile[] =>
    [...names.values()].flatMap((parts) => [...parts.values()]).filter((f) => f.fd !== undefined);

  const partFile = (name: string, part: number): PartFile => {
    let parts = names.get(name);
    if (!parts) names.set(name, (parts = new Map<number, PartFile>()));
    let f = parts.get(part);
    if (!f) {
      const path = join(dir(), `.${name}.${part}.part`);
      let fd: number;
      try {
        // Created anew ('wx' follows no link planted at the name; one left by a crashed run goes).
        rmSync(path, { force: true });
        fd = openSync(path, 'wx');
      } catch (err) {
        throw (failure ??= fail(path, err as Error));
      }
      f = { path, fd, buf: spare.pop() ?? Buffer.allocUnsafe(BUFFER), used: 0, pending: '' };
      parts.set(part, f);
    }
    return f;
  };

  return {
    async open() {
      if (workDir !== undefined && workDir !== finalDir) return;
      if (opts.dir !== undefined && checkedOut === undefined) {
        checkedOut = await checkPath(opts.dir, 'dir', OUT);
        if (opts.keep && !checkedOut.exists) {
          await makeDirs(checkedOut, OUT, opts.dir);
          createdFinalDir = true;
        }
      }
      if (workDir === undefined) {
        try {
          workDir = await mkdtemp(join(tmpdir(), 's3-encrypt-manifests-'));
        } catch (err) {
          throw fail(tmpdir(), err as Error);
        }
      }
    },

    append(name, text, part) {
      check();
      const f = partFile(name, part);
      f.pending += text;
      if (f.pending.length >= PENDING) settle(f);
    },

    appendBytes(name, bytes, start, end, part) {
      check();
      const f = partFile(name, part);
      settle(f);
      const n = end - start;
      if (f.used + n > BUFFER) {
        flush(f);
        if (n > BUFFER) {
          write(f, bytes.subarray(start, end));
          return;
        }
      }
      f.buf.set(bytes.subarray(start, end), f.used);
      f.used += n;
    },

    ready() {
      check();
      for (const f of open()) settle(f);
      return undefined;
    },

    endPart(part) {
      try {
        check();
        for (const parts of names.values()) {
          const f = parts.get(part);
          if (f) close(f);
        }
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err);
      }
    },

    async finish() {
      check();
      for (const f of open()) close(f);
      check();
      // A few names are joined at a time: their copies overlap on libuv's threads instead of each
      // waiting on the one before (80 -> 40 ms on an 8-file delivery of 2,000,000 rows, with
      // JOIN_BUFFER). Joining each part as soon as it and those before it were complete, during
      // the reading, was slower: the copies then competed with zlib for the threads and cores.
      const joinName = async ([name, parts]: [string, Map<number, PartFile>]) => {
        const ordered = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f.path);
        const into = join(dir(), `.${name}.csv.partial`);
        // Listed before it exists: a join that fails half-way leaves nothing behind either.
        joined.push(into);
        try {
          if (ordered.length === 1) await rename(ordered[0] as string, into);
          else {
            await concatenate(ordered, into);
            for (const p of ordered) await rm(p, { force: true });
          }
        } catch (err) {
          throw fail(into, err as Error);
        }
        return [name, into] as const;
      };
      const whole: (readonly [string, string])[] = [];
      for await (const done of pool(names, JOINS, joinName)) whole.push(done);
      const out = new Map<string, string>();
      for (const [name, into] of whole) {
        if (finalDir === undefined) {
          out.set(name, into);
          continue;
        }
        const target = join(finalDir, `${name}.csv`);
        try {
          if (opts.keep) await rename(into, target);
        } catch (err) {
          throw fail(target, err as Error);
        }
        out.set(name, target);
      }
      finished = true;
      if (finalDir !== undefined && opts.keep) {
        try {
          for (const entry of await readdir(finalDir)) {
            if (OURS.test(entry) && !out.has(entry.slice(0, -'.csv'.length))) await rm(join(finalDir, entry));
          }
        } catch (err) {
          throw fail(finalDir, err as Error);
        }
      }
      return out;
    },

    async writeFile(fileName, text) {
      const target = join(dir(), fileName);
      try {
        await writeAtomically(target, text);
      } catch (err) {
        throw fail(target, err as Error);
      }
      return target;
    },

    async cleanup() {
      for (const f of open()) {
        if (f.fd !== undefined) closeSync(f.fd);
        f.fd = undefined;
      }
      if (workDir !== undefined && workDir !== finalDir) {
        await rm(workDir, { recursive: true, force: true });
        return;
      }
      for (const parts of names.values()) for (const f of parts.values()) await rm(f.path, { force: true });
      for (const p of joined) await rm(p, { force: true });
      if (!finished && createdFinalDir && finalDir !== undefined) {
        await rm(finalDir, { recursive: true, force: true });
        // and the parents of --out this run made
        if (checkedOut) await removeMadeDirs(checkedOut);
      }
    },
  };
}

/** Bytes copied per read when joining parts: one buffer per name being joined. */
const JOIN_BUFFER = 1024 * 1024;
/** Names joined at once, each through its own JOIN_BUFFER. */
const JOINS = 3;

/**
 * Joins the part files into one file, in order: the first part becomes the file (its bytes are
 * not copied) and the others are appended through one reused buffer. A read stream per part
 * made a new 64 KiB buffer per chunk, dead but uncollected: tens of MB of RSS on an 8-file
 * delivery, and the first part's bytes copied once more.
 */
async function concatenate(parts: string[], into: string): Promise<void> {
  const [first, ...rest] = parts;
  await rename(first as string, into);
  const out = await openFile(into, 'a');
  try {
    const buf = Buffer.allocUnsafe(JOIN_BUFFER);
    for (const p of rest) {
      const part = await openFile(p, 'r');
      try {
        for (;;) {
          const { bytesRead } = await part.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          for (let at = 0; at < bytesRead;) at += (await out.write(buf, at, bytesRead - at)).bytesWritten;
        }
      } finally {
        await part.close();
      }
    }
  } finally {
    await out.close();
  }
}
