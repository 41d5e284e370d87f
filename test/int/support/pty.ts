// Runs the built CLI under a pseudo-terminal (util-linux `script`), as an operator's terminal
// would: stdout and stderr are a TTY of a chosen width, and what the terminal received is
// returned as one string (carriage returns and erase sequences included), for tests of what
// is drawn on the screen.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { targetEnv, type Target } from './servers.js';

const BIN = fileURLToPath(new URL('../../../bin/s3-encrypt.js', import.meta.url));

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface PtyResult {
  code: number;
  /** Everything the terminal received. */
  screen: string;
}

/**
 * `s3-encrypt --endpoint-url <endpoint> ...args` on a terminal `columns` wide; `stdoutTo` sends
 * stdout to that file instead (stderr stays on the terminal).
 */
export function runOnTerminal(
  args: string[],
  t: Target,
  opts: { endpoint: string; columns: number; stdoutTo?: string; timeoutMs?: number },
): Promise<PtyResult> {
  const cli = [process.execPath, BIN, '--endpoint-url', opts.endpoint, ...args].map(quote).join(' ');
  const command = `stty cols ${opts.columns} rows 40; exec ${cli}${opts.stdoutTo !== undefined ? ` > ${quote(opts.stdoutTo)}` : ''}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NO_COLOR: '1',
        TERM: 'xterm',
        ...targetEnv(t),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), screen });
    });
  });
}

/**
 * The progress lines drawn: the texts written after a carriage return + erase-line and before
 * the next one (a text that ends a line is not a progress draw but what followed a clear).
 */
export function progressDraws(screen: string): string[] {
  return screen
    .split('\r\u001b[2K')
    .slice(1)
    .filter((s) => !/[\r\n]/.test(s) && s.trim() !== '');
}
