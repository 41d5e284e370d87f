/**
 * What a file system error code means, in words a user can act on. Pure (codes are strings), so
 * the fs adapters and the one error handler in program.ts say the same thing for the same fault.
 */
const PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
  ELOOP: 'too many symbolic links (a loop?)',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EBUSY: 'the file or device is busy',
  ETXTBSY: 'the file is busy',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EINVAL: 'the file system refused the path',
  ESPIPE: 'not a regular file',
};

/** One short phrase for an fs error code; the code itself when it is not one of the above. */
export function fileProblem(code: string | undefined, message?: string): string {
  if (code !== undefined && PROBLEMS[code] !== undefined) return `${PROBLEMS[code]} (${code})`;
  return code ?? message?.split('\n')[0] ?? 'unknown error';
}

/**
 * True for the errors Node's fs raises: a code like ENOTDIR, the syscall and the path. Socket
 * errors (ECONNRESET on read, EPIPE on write) carry a code and a syscall but never a path.
 */
export function isFileSystemError(err: unknown): err is { code: string; syscall: string; path: string } {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; syscall?: unknown; path?: unknown };
  return (
    typeof e.code === 'string' &&
    /^E[A-Z0-9]+$/.test(e.code) &&
    typeof e.syscall === 'string' &&
    typeof e.path === 'string'
  );
}
