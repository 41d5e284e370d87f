// The one error handler: an fs error no adapter mapped (a path the user gave) is one line,
// exit 2, with the {"error":...} document under --json; any other unexpected error still gives
// --json readers their document.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const ARGS = ['enable-sse', '--bucket', 'my-bucket', '--kms-key', 'alias/app'];
const enotdir = Object.assign(new Error("ENOTDIR: not a directory, open '/home/u/notes/x.csv'"), {
  code: 'ENOTDIR',
  errno: -20,
  syscall: 'open',
  path: '/home/u/notes/x.csv',
});

describe('errors no adapter mapped', () => {
  it.each([false, true])('an fs error: exit 2, one line naming the path (json: %s)', async (json) => {
    const r = await runCli([...(json ? ['--json'] : []), ...ARGS], () => {
      throw enotdir;
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: cannot open /home/u/notes/x.csv: a part of the path is a file, not a directory (ENOTDIR): check the path given (its directories, permissions and free space); nothing more was done',
    ]);
    if (json)
      expect(r.json()).toEqual([
        {
          error: {
            code: 'FileSystem',
            message:
              'cannot open /home/u/notes/x.csv: a part of the path is a file, not a directory (ENOTDIR)',
            hint: 'check the path given (its directories, permissions and free space); nothing more was done',
            exitCode: 2,
          },
        },
      ]);
    else expect(r.stdout).toBe('');
  });

  it('a socket error (a code and a syscall, no path) is not taken for a file error', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    const r = await runCli(['--json', ...ARGS], () => {
      throw reset;
    });
    expect(r.code).toBe(4);
    expect(r.json()).toEqual([
      {
        error: {
          code: 'Unexpected',
          message: 'unexpected Error: read ECONNRESET',
          hint: 'please report this with the --verbose output',
          exitCode: 4,
        },
      },
    ]);
  });
});
