// Headless Chromium (Debian's `chromium`, installed by scripts/install-chromium.sh through
// scripts/ensure-setup.sh) for the evidence report's browser tests.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The browser's path; a missing one fails the test with the fix (never a skipped test). */
function chromiumPath(): string {
  const found = [process.env.S3E_CHROMIUM, ...CANDIDATES].find((p) => p !== undefined && existsSync(p));
  if (!found)
    throw new Error(
      "headless Chromium not found (/usr/bin/chromium): run `bash scripts/ensure-setup.sh` as root (it installs Debian's chromium), or set S3E_CHROMIUM",
    );
  return found;
}

export interface BrowserRun {
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * One headless run on a local file. Flags: no sandbox (tests run as root in containers), no GPU,
 * no first-run or extensions, a profile of its own (runs in parallel test files do not share
 * one), and the page's console (CSP violations among it) on stderr.
 */
export function chromium(file: string, extra: string[]): Promise<BrowserRun> {
  const profile = mkdtempSync(join(tmpdir(), 's3e-chromium-'));
  const args = [
    `--user-data-dir=${profile}`,
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--disable-extensions',
    '--disable-background-networking',
    '--enable-logging=stderr',
    '--v=0',
    ...extra,
    pathToFileURL(file).href,
  ];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      chromiumPath(),
      args,
      {
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, HOME: process.env.HOME ?? '/tmp' },
      },
      (err, stdout, stderr) => {
        rmSync(profile, { recursive: true, force: true });
        if (err) reject(new Error(`chromium ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve({ stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

/** The page's DOM after it loaded (what the browser built, not the file's text). */
export async function dumpDom(file: string): Promise<BrowserRun> {
  return chromium(file, ['--dump-dom']);
}

/** A PNG of the page, `width` x `height` CSS pixels. */
export async function screenshot(
  file: string,
  png: string,
  width = 1200,
  height = 2000,
): Promise<BrowserRun> {
  return chromium(file, [`--screenshot=${png}`, `--window-size=${width},${height}`, '--hide-scrollbars']);
}

/** Console lines in which the page's Content-Security-Policy blocked something. */
export function cspViolations(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /Content Security Policy|Refused to/i.test(l));
}

/** The console lines of the page itself (INFO:CONSOLE), i.e. anything the page logged or had refused. */
export function consoleLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.includes(':CONSOLE'));
}
