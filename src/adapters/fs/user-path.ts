import { constants } from 'node:fs';
import { access, lstat, mkdir, open, realpath, rmdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';

/** How a path was given, for the one-line refusal: `--state /x: <problem>: <fix>`. */
export interface PathUse {
  /** The flag that named the path (--state, --out, --report, --retry-manifest ...). */
  flag: string;
  /** What the user does instead. */
  fix: string;
  /** Stable error code for --json. */
  code: string;
}

/**
 * Kernel and device file systems: files there are not files. A recursive mkdir under /proc
 * loops forever (mkdir answers ENOENT for a parent that exists), so nothing may be created there.
 */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];
/** Streams a user may name as an output file (--report /dev/stdout). */
const STDIO = new Set(['/dev/stdout', '/dev/stderr', '/dev/null']);

export interface CheckedPath {
  /** Absolute path. */
  abs: string;
  /** Directories that do not exist yet, outermost first: makeDirs() creates them. */
  missing: string[];
  /** Whether the file itself (or, for 'dir', the directory) exists. */
  exists: boolean;
  /** One of STDIO (only when allowed): no checks, no directories. */
  stdio: boolean;
}

export function pathError(use: PathUse, path: string, problem: string, cause?: unknown): UsageError {
  return new UsageError(`${use.flag} ${path}: ${problem}`, use.fix, use.code, { cause });
}

/** The refusal for an fs error on a user-given path: one line, exit 2, whatever the code. */
export function pathFsError(use: PathUse, path: string, err: unknown): UsageError {
  const e = err as NodeJS.ErrnoException;
  return pathError(use, path, `cannot use it: ${fileProblem(e.code, e.message)}`, err);
}

function systemRoot(p: string): string | undefined {
  return SYSTEM_ROOTS.find((r) => p === r || p.startsWith(`${r}/`));
}

/**
 * Looks at a path the user gave for a file (`kind: 'file'`) or directory (`'dir'`) this tool
 * will write, and refuses it with one line when it cannot be: under /proc, /sys or /dev (also
 * through a symbolic link), a parent that is a file, a directory where a file is wanted (or the
 * reverse), a FIFO, device or socket (opening a FIFO blocks until a reader comes), a dangling
 * symbolic link, a permission error. Creates nothing and only ever stats one component at a
 * time: the work is bounded by the number of components in the path.
 */
export async function checkPath(
  path: string,
  kind: 'file' | 'dir',
  use: PathUse,
  opts: { allowStdio?: boolean } = {},
): Promise<CheckedPath> {
  if (path.includes('\0')) throw pathError(use, JSON.stringify(path), 'a path cannot hold a NUL byte');
  const abs = resolve(path);
  if (opts.allowStdio === true && STDIO.has(abs)) return { abs, missing: [], exists: true, stdio: true };
  const lexical = systemRoot(abs);
  if (lexical)
    throw pathError(use, path, `${lexical} is a system file system, not a place for this tool's files`);

  const parts = abs.split(sep).filter((p) => p !== '');
  const dirs = kind === 'dir' ? parts : parts.slice(0, -1);
  let existing: string = sep;
  const missing: string[] = [];
  for (let i = 0; i < dirs.length; i++) {
    const p = join(sep, ...dirs.slice(0, i + 1));
    try {
      const st = await stat(p);
      if (!st.isDirectory()) throw pathError(use, path, `${p} is ${describe(st)}, not a directory`);
      existing = p;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw pathFsError(use, path, err);
      for (let j = i; j < dirs.length; j++) missing.push(join(sep, ...dirs.slice(0, j + 1)));
      break;
    }
  }
  // Symbolic links on the way may lead where the lexical check cannot see.
  let real: string;
  try {
    real = await realpath(existing);
  } catch (err) {
    throw pathFsError(use, path, err);
  }
  const viaLink = systemRoot(real);
  if (viaLink)
    throw pathError(
      use,
      path,
      `it leads into ${viaLink} (a system file system), not a place for this tool's files`,
    );
  // Permissions now, not at the first write after the first request (root passes these).
  const writable = async (p: string): Promise<void> => {
    try {
      await access(p, constants.W_OK);
    } catch (err) {
      throw pathFsError(use, path, err);
    }
  };
  if (kind === 'dir') {
    await writable(existing);
    return { abs, missing, exists: missing.length === 0, stdio: false };
  }
  if (missing.length > 0) {
    await writable(existing);
    return { abs, missing, exists: false, stdio: false };
  }

  let link;
  try {
    link = await lstat(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw pathFsError(use, path, err);
    await writable(existing);
    return { abs, missing, exists: false, stdio: false };
  }
  let st = link;
  if (link.isSymbolicLink()) {
    try {
      st = await stat(abs);
      const target = await realpath(abs);
      const root = systemRoot(target);
      if (root)
        throw pathError(use, path, `it is a symbolic link into ${root} (a system file system), not a file`);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw pathError(use, path, 'it is a symbolic link to a file that does not exist', err);
      throw pathFsError(use, path, err);
    }
  }
  if (!st.isFile()) throw pathError(use, path, `it is ${describe(st)}, not a regular file`);
  await writable(abs);
  return { abs, missing, exists: true, stdio: false };
}

/**
 * Creates the directories checkPath() found missing, one mkdir each (never `recursive`, which
 * loops forever on some file systems), asynchronously so Ctrl-C is always heard.
 */
export async function makeDirs(checked: CheckedPath, use: PathUse, path: string): Promise<void> {
  for (const d of checked.missing) {
    try {
      await mkdir(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        // Made meanwhile (another run): fine if it is a directory.
        const st = await stat(d).catch(() => undefined);
        if (st?.isDirectory()) continue;
      }
      throw pathFsError(use, path, err);
    }
  }
}

/** Removes the directories makeDirs() created (innermost first), when a failed run must leave nothing. */
export async function removeMadeDirs(checked: CheckedPath): Promise<void> {
  for (const d of [...checked.missing].reverse()) await rmdir(d).catch(() => undefined);
}

function describe(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFile(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFile()) return 'a file';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Refuses a path for a file some command writes (status --retry-manifest), creating nothing. */
export async function checkOutputFile(path: string, flag: string): Promise<void> {
  await checkPath(path, 'file', {
    flag,
    fix: 'choose another path, or an s3:// URI',
    code: 'FileUnwritable',
  });
}

/**
 * Refuses to replace an existing, non-empty regular file unless its first line is one `ours`
 * would have written (a command's earlier output, which a second run replaces): anything else
 * is someone's file under a mistyped path. Nothing is written either way.
 */
export async function refuseUnlessOurs(
  path: string,
  use: PathUse,
  what: string,
  ours: (firstLine: string) => boolean,
): Promise<void> {
  const line = await firstLineOf(path);
  if (line === undefined || ours(line)) return;
  throw pathError(
    { ...use, fix: 'choose another path, or delete the file if it is no longer needed; nothing was changed' },
    path,
    `it holds something other than ${what} (its first line is not one), and it would be replaced`,
  );
}

/**
 * The first line of an existing, non-empty regular file (64 KiB read at most); undefined for a
 * missing, empty or unreadable file and anything not a regular file (stat first: opening a FIFO
 * to read waits for a writer that never comes).
 */
async function firstLineOf(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    if (!st.isFile() || st.size === 0) return undefined;
    const file = await open(path, 'r');
    try {
      const head = Buffer.alloc(Math.min(st.size, 64 * 1024));
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      return head.subarray(0, bytesRead).toString('utf8').split('\n', 1)[0] ?? '';
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Whether two user-given paths name the same file (the same inode when both exist, through any
 * symbolic or hard link; else the same absolute path): --report on the --state or --manifest
 * file would truncate the user's file before it is read.
 */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  if (sa && sb) return sa.dev === sb.dev && sa.ino === sb.ino;
  return resolve(a) === resolve(b);
}
