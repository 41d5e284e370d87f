// The evidence report in a real browser: headless Chromium (Debian's package) loads the page
// offline, builds its DOM (tables, SVG charts, the offender key as text), applies its one style
// sheet under the page's own Content-Security-Policy, and draws it: the screenshots land in
// .local/evidence-report/ for a person to look at.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from '../../src/core/format.js';
import { renderEvidenceReport } from '../../src/output/evidence-report.js';
import { consoleLines, cspViolations, dumpDom, screenshot, chromium } from '../support/chromium.js';
import { auditSample, NASTY_KEY, verifySample } from '../support/evidence-sample.js';

const OUT = join(process.cwd(), '.local', 'evidence-report');
mkdirSync(OUT, { recursive: true });
const timings: string[] = [];

afterAll(() => {
  console.log(`headless Chromium: ${timings.join(', ')}`);
});

/** How a text node comes back from --dump-dom: &, < and > escaped, quotes kept. */
const asDomText = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function write(name: string, html: string): string {
  const file = join(OUT, name);
  writeFileSync(file, html);
  return file;
}

/** PNG signature, then the IHDR chunk's width and height. */
function pngSize(file: string): { width: number; height: number; bytes: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bytes: b.length };
}

// A browser start takes 0.5-3 s, more on a loaded machine: well over vitest's 5 s default for two.
describe('the evidence report in headless Chromium', { timeout: 90_000 }, () => {
  it('renders the verify report: title, tables, both SVG charts, the offender key as text, no CSP refusal', async () => {
    const file = write('verify-sample.html', renderEvidenceReport(verifySample()));
    const r = await dumpDom(file);
    timings.push(`dump-dom ${r.ms} ms`);
    const dom = r.stdout;
    expect(dom).toContain('<title>s3-encrypt verify evidence: NOT COMPLIANT: s3://data-1/logs/</title>');
    expect(dom).toMatch(/<table class="totals">/);
    expect(dom).toMatch(/<table class="rows">/);
    expect(dom).toMatch(/<table class="offenders">/);
    // The charts are in the DOM the browser built, with a part per class and a bar per verdict.
    const donut = /<svg[^>]*id="chart-bytes-by-class"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? '';
    expect(donut.match(/<circle class="part"/g)).toHaveLength(3);
    expect(donut).toContain('NOT-SSE: 25% (1.5 KiB)');
    const bars = /<svg[^>]*id="chart-by-verdict"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? '';
    expect(bars.match(/<rect class="bar"/g)).toHaveLength(4);
    // The key is text in a <code>: no element came out of it, and it reads as it was (bidi override shown as \u202e).
    expect(dom).toContain(`<code>${asDomText(printable(NASTY_KEY))}</code>`);
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toContain('\\u202eevil.exe ünï 日本');
    // The page's one style sheet is allowed by its hash; nothing was refused, nothing logged.
    expect(cspViolations(r.stderr)).toEqual([]);
    expect(consoleLines(r.stderr)).toEqual([]);
  });

  it('takes a screenshot into .local/ (a non-empty PNG of the window size)', async () => {
    const file = write('verify-sample-shot.html', renderEvidenceReport(verifySample()));
    const png = join(OUT, 'verify-sample.png');
    const r = await screenshot(file, png, 1200, 1800);
    timings.push(`screenshot ${r.ms} ms`);
    const size = pngSize(png);
    expect(size).toMatchObject({ width: 1200, height: 1800 });
    expect(size.bytes).toBeGreaterThan(20_000);
  });

  it('renders the audit shape: a row per bucket, an unknown one, buckets by verdict', async () => {
    const file = write('audit-sample.html', renderEvidenceReport(auditSample()));
    const r = await dumpDom(file);
    timings.push(`dump-dom ${r.ms} ms`);
    expect(r.stdout).toContain('<h2>By bucket</h2>');
    expect(r.stdout).toMatch(/<td><code>secret<\/code><\/td><td><\/td><td class="num">unknown<\/td>/);
    expect(r.stdout).toContain('Buckets by verdict');
    expect(r.stdout).toContain('<code>x&lt;y</code>');
    expect(cspViolations(r.stderr)).toEqual([]);
    const shot = await screenshot(file, join(OUT, 'audit-sample.png'), 1200, 1600);
    timings.push(`screenshot ${shot.ms} ms`);
    expect(pngSize(join(OUT, 'audit-sample.png')).bytes).toBeGreaterThan(20_000);
  });

  it('prints: Chromium makes a PDF of it', async () => {
    const file = write('verify-print.html', renderEvidenceReport(verifySample()));
    const pdf = join(OUT, 'verify-sample.pdf');
    const r = await chromium(file, [`--print-to-pdf=${pdf}`, '--no-pdf-header-footer']);
    timings.push(`print-to-pdf ${r.ms} ms`);
    const b = readFileSync(pdf);
    expect(b.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(b.length).toBeGreaterThan(10_000);
  });

  it('a style sheet the CSP does not name is refused, and this test would see it', async () => {
    // The check above can fail: change one byte of the style sheet and Chromium refuses it.
    const html = renderEvidenceReport(verifySample()).replace('<style>', '<style>h1{color:red}');
    const r = await dumpDom(write('tampered.html', html));
    timings.push(`dump-dom ${r.ms} ms`);
    expect(cspViolations(r.stderr).length).toBeGreaterThan(0);
  });
});
