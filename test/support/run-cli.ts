// Runs the CLI in-process, as a user would type it, against fake services.
import { run } from '../../src/program.js';
import { offlineServices, type ServicesFactory } from '../../src/deps.js';
import { checkJsonOutput } from './json-output-check.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines (only meaningful with --json). */
  json(): unknown[];
}

export async function runCli(
  argv: string[],
  services: ServicesFactory,
  opts: { env?: Record<string, string>; signal?: AbortSignal; cwd?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env: { AWS_REGION: 'us-east-1', ...opts.env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    signal: opts.signal ?? new AbortController().signal,
    services,
    offline: offlineServices,
    cwd: opts.cwd ?? process.cwd(),
  });
  checkJsonOutput(argv, stdout, 'runCli');
  return {
    code,
    stdout,
    stderr,
    json: () =>
      stdout
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as unknown),
  };
}
