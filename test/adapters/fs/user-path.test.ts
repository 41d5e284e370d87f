// checkPath/makeDirs: every user-given path this tool writes is looked at one component at a
// time and refused with one line when it cannot be a file (or directory) of ours. A recursive
// mkdir under /proc never returns (and a sync one blocks Ctrl-C): these must answer at once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPath, makeDirs, removeMadeDirs, type PathUse } from '../../../src/adapters/fs/user-path.js';
import { UsageError } from '../../../src/core/errors.js';

const use: PathUse = { flag: '--thing', fix: 'choose another path', code: 'BadThing' };
const dir = () => mkdtempSync(join(tmpdir(), 's3e-path-'));

async function refusal(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  const u = err as UsageError;
  expect(u.exitCode).toBe(2);
  expect(u.code).toBe('BadThing');
  expect(u.oneLine()).not.toMatch(/\n/);
  return u;
}

describe('checkPath', () => {
  it.each([
    ['/proc/x/state.jsonl', 'file', /--thing \/proc\/x\/state\.jsonl: \/proc is a system file system/],
    ['/proc/x', 'dir', /\/proc is a system file system/],
    ['/sys/x/y', 'dir', /\/sys is a system file system/],
    ['/dev/x', 'dir', /\/dev is a system file system/],
    ['/dev/zero', 'file', /\/dev is a system file system/],
    ['/dev/stdout', 'file', /\/dev is a system file system/],
    ['a\0b', 'file', /a path cannot hold a NUL byte/],
  ] as const)('refuses %s (%s) at once', async (path, kind, message) => {
    const started = Date.now();
    expect((await refusal(checkPath(path, kind, use))).message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('allows /dev/stdout, /dev/stderr and /dev/null only when asked (--report)', async () => {
    for (const p of ['/dev/stdout', '/dev/stderr', '/dev/null'])
      expect(await checkPath(p, 'file', use, { allowStdio: true })).toMatchObject({
        stdio: true,
        missing: [],
      });
    await refusal(checkPath('/dev/zero', 'file', use, { allowStdio: true }));
  });

  it('refuses a parent that is a file, and a file where a directory is wanted', async () => {
    const f = join(dir(), 'notes.txt');
    writeFileSync(f, 'mine');
    expect((await refusal(checkPath(join(f, 'state.jsonl'), 'file', use))).message).toMatch(
      /notes\.txt is a file, not a directory/,
    );
    expect((await refusal(checkPath(join(f, 'a', 'b'), 'dir', use))).message).toMatch(
      /notes\.txt is a file, not a directory/,
    );
    expect((await refusal(checkPath(f, 'dir', use))).message).toMatch(
      /notes\.txt is a file, not a directory/,
    );
  });

  it('refuses a directory, a FIFO, a dangling link and a link into /dev or /proc where a file is wanted', async () => {
    const d = dir();
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    symlinkSync('/dev/zero', join(d, 'zero'));
    symlinkSync('/proc/self', join(d, 'self'));
    symlinkSync(join(d, 'nothing'), join(d, 'dangling'));
    const cases: [string, RegExp][] = [
      [d, /it is a directory, not a regular file/],
      [fifo, /it is a FIFO \(named pipe\), not a regular file/],
      [join(d, 'zero'), /symbolic link into \/dev/],
      [join(d, 'self', 'x'), /leads into \/proc/],
      [join(d, 'self', 'new', 'x'), /leads into \/proc/],
      [join(d, 'dangling'), /symbolic link to a file that does not exist/],
    ];
    for (const [path, message] of cases)
      expect((await refusal(checkPath(path, 'file', use))).message).toMatch(message);
  });

  it('a symbolic link loop and a name too long: the fs error as one line', async () => {
    const d = dir();
    symlinkSync(join(d, 'b'), join(d, 'a'));
    symlinkSync(join(d, 'a'), join(d, 'b'));
    expect((await refusal(checkPath(join(d, 'a', 'state.jsonl'), 'file', use))).message).toMatch(
      /cannot use it: too many symbolic links \(a loop\?\) \(ELOOP\)/,
    );
    expect((await refusal(checkPath(join(d, 'x'.repeat(300), 'f'), 'file', use))).message).toMatch(
      /cannot use it: the name is too long \(ENAMETOOLONG\)/,
    );
  });

  it('accepts a new path, an existing file and a link to one; creates nothing itself', async () => {
    const d = dir();
    const missing = await checkPath(join(d, 'a', 'b', 'state.jsonl'), 'file', use);
    expect(missing).toMatchObject({ exists: false, missing: [join(d, 'a'), join(d, 'a', 'b')] });
    expect(existsSync(join(d, 'a'))).toBe(false);
    writeFileSync(join(d, 'f'), '');
    symlinkSync(join(d, 'f'), join(d, 'link'));
    expect(await checkPath(join(d, 'f'), 'file', use)).toMatchObject({ exists: true, missing: [] });
    expect(await checkPath(join(d, 'link'), 'file', use)).toMatchObject({ exists: true });
    expect(await checkPath(d, 'dir', use)).toMatchObject({ exists: true, missing: [] });
  });
});

describe('makeDirs', () => {
  it('makes the missing directories one by one, and removeMadeDirs takes them away again', async () => {
    const d = dir();
    const checked = await checkPath(join(d, 'x', 'y', 'z'), 'dir', use);
    await makeDirs(checked, use, 'x/y/z');
    expect(statSync(join(d, 'x', 'y', 'z')).isDirectory()).toBe(true);
    await removeMadeDirs(checked);
    expect(existsSync(join(d, 'x'))).toBe(false);
  });

  it('turns an fs error into the one-line refusal', async () => {
    const d = dir();
    const checked = await checkPath(join(d, 'x', 'y'), 'dir', use);
    // Someone puts a file where the directory goes, after the check.
    writeFileSync(join(d, 'x'), '');
    expect((await refusal(makeDirs(checked, use, 'x/y'))).message).toMatch(
      /--thing x\/y: cannot use it: (a part of the path is a file, not a directory \(ENOTDIR\)|it already exists \(EEXIST\))/,
    );
  });

  it('accepts a directory another run made meanwhile', async () => {
    const d = dir();
    const checked = await checkPath(join(d, 'x'), 'dir', use);
    mkdirSync(join(d, 'x'));
    await makeDirs(checked, use, 'x');
  });
});
