// Runs the built CLI (bin/s3-encrypt.js) as a child process against an integration target,
// exactly as an operator would: flags, AWS_* environment, exit code, stdout and stderr.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Target } from './target.js';
import { targetEnv } from './servers.js';
import { checkJsonOutput } from '../../support/json-output-check.js';

const BIN = fileURLToPath(new URL('../../../bin/s3-encrypt.js', import.meta.url));

export interface ProcResult {
  code: number;
  stdout: string;
  stderr: string;
  lines(): unknown[];
}

export function runBin(
  args: string[],
  t: Target,
  opts: { env?: Record<string, string>; endpoint?: boolean; input?: string; timeoutMs?: number } = {},
): Promise<ProcResult> {
  const argv = [BIN, ...(opts.endpoint === false ? [] : ['--endpoint-url', t.endpoint]), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NO_COLOR: '1',
        ...targetEnv(t),
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        checkJsonOutput(args, stdout, 'runBin', { killed: signal !== null });
      } catch (err) {
        reject(err as Error);
        return;
      }
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout,
        stderr,
        lines: () =>
          stdout
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as unknown),
      });
    });
    child.stdin.end(opts.input ?? '');
  });
}
