import { describe, expect, it } from 'vitest';
import { fileProblem, isFileSystemError } from '../../src/core/file-errors.js';

describe('fileProblem', () => {
  it.each([
    ['ENOTDIR', 'a part of the path is a file, not a directory (ENOTDIR)'],
    ['EISDIR', 'it is a directory (EISDIR)'],
    ['EACCES', 'permission denied (EACCES)'],
    ['EROFS', 'read-only file system (EROFS)'],
    ['ENOSPC', 'no space left on the device (ENOSPC)'],
    ['ELOOP', 'too many symbolic links (a loop?) (ELOOP)'],
    ['ENAMETOOLONG', 'the name is too long (ENAMETOOLONG)'],
    ['EEXIST', 'it already exists (EEXIST)'],
    ['EWHATEVER', 'EWHATEVER'],
  ])('%s', (code, text) => {
    expect(fileProblem(code)).toBe(text);
  });
  it('falls back to the first line of the message', () => {
    expect(fileProblem(undefined, 'first\nsecond')).toBe('first');
  });
});

describe('isFileSystemError', () => {
  it('needs a code, a syscall and a path (socket errors have no path)', () => {
    expect(isFileSystemError({ code: 'ENOTDIR', syscall: 'open', path: '/x' })).toBe(true);
    expect(isFileSystemError({ code: 'ECONNRESET', syscall: 'read' })).toBe(false);
    expect(isFileSystemError({ code: 'ERR_INVALID_ARG_TYPE', syscall: 'open', path: '/x' })).toBe(false);
    expect(isFileSystemError(new Error('x'))).toBe(false);
  });
});
