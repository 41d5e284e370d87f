// Timing one client process: wall time from spawn to exit, and the process's own CPU (user+sys)
// from GNU time, which reads the child's rusage (so the benchmark harness is not counted).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const GNU_TIME = '/usr/bin/time';

/** Run argv[0] with args; resolves { code, wallMs, userS, sysS, stdout, stderr }. */
export function timed(argv, { env, cwd, timeoutMs = 900_000 }) {
  const dir = mkdtempSync(join(tmpdir(), 's3e-bench-'));
  const out = join(dir, 'time');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(GNU_TIME, ['-f', '%U %S', '-o', out, ...argv], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      let userS = NaN;
      let sysS = NaN;
      try {
        const last = readFileSync(out, 'utf8').trim().split('\n').pop();
        [userS, sysS] = last.split(' ').map(Number);
      } catch {
        // no time output: the child was killed; the caller sees the exit code
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, wallMs, userS, sysS, stdout, stderr });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** Last JSON line of a process's stdout (the CLI's --json summary, the raw client's result). */
export function lastJson(stdout) {
  const lines = stdout.trim().split('\n').filter(Boolean);
  try {
    return JSON.parse(lines.at(-1) ?? 'null');
  } catch {
    return null;
  }
}

export function machine() {
  return import('node:os').then((os) => ({
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
  }));
}
