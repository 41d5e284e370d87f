import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_REPORT_HEAD, isReplaceableReport } from '../../src/core/evidence-mark.js';
import { renderEvidenceReport } from '../../src/output/evidence-report.js';
import { REPORT_CSS } from '../../src/output/evidence-report-style.js';
import { htmlText } from '../../src/output/html-text.js';
import { barChart, percent } from '../../src/output/svg-charts.js';
import { auditSample, NASTY_KEY, verifySample } from '../support/evidence-sample.js';

describe('renderEvidenceReport', () => {
  const html = renderEvidenceReport(verifySample());

  it('starts with the mark that lets a later run replace it', () => {
    expect(html.startsWith(EVIDENCE_REPORT_HEAD)).toBe(true);
    expect(isReplaceableReport(html.slice(0, 200))).toBe(true);
    expect(isReplaceableReport('')).toBe(true);
    expect(isReplaceableReport('{"manifest": 1}')).toBe(false);
    expect(isReplaceableReport('<!DOCTYPE html>\n<p>someone else</p>')).toBe(false);
  });

  it('escapes every key: no markup, no raw bidi override, the text kept', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(
      'a/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp; &#39;q&#39; \\u202eevil.exe ünï 日本',
    );
    expect(html).not.toContain('\u202e');
    expect(htmlText(NASTY_KEY)).not.toMatch(/[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
  });

  it('escapes every other text from the run too (scope, warnings, identity, subject)', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const page = renderEvidenceReport(
      verifySample({
        subject: `s3://b/${evil}`,
        scope: [{ label: evil, value: evil }],
        warnings: [evil],
        notes: [evil],
        identity: { account: evil, principalArn: evil, note: evil },
        targetKey: { id: evil, checked: false },
        outcome: { verdict: evil, headline: evil, exitCode: 1, passed: false },
        rows: [{ class: evil, objects: 1, bytes: 1, verdict: 'needs-work', note: evil }],
        classes: [{ class: evil, objects: 1, bytes: 1 }],
        offenders: {
          shown: [{ key: evil, versionId: evil, class: evil, reason: evil, bucket: evil }],
          total: 1,
        },
      }),
    );
    expect(page).not.toContain('<img');
    expect(page.split('&lt;img src=x onerror=alert(1)&gt;').length).toBeGreaterThan(15);
  });

  it('loads nothing from anywhere: a strict CSP naming its one style sheet by hash, no URL but the SVG namespace', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(REPORT_CSS, 'utf8').digest('base64');
    expect(csp).toBe(
      `default-src &#39;none&#39;; style-src &#39;sha256-${hash}&#39;; img-src &#39;none&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;`,
    );
    // the style element holds exactly the hashed text
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
    expect(html.match(/<style/g)).toHaveLength(1);
    expect(html).not.toMatch(/\ssrc=|\shref=|url\(|@import|<link|<script|<iframe|<object/i);
    expect(html.match(/https?:\/\/[^"<\s]*/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('says which bytes were hashed and how to recompute it', () => {
    expect(html).toContain(`<code class="sha" id="records-sha256">${'ab'.repeat(32)}</code>`);
    expect(html).toContain('the 4 JSON lines (400 bytes, UTF-8, each ending in one line feed)');
    expect(html).toContain('<code>s3-encrypt --json verify</code> writes to standard output');
    expect(html).toContain('sha256sum records.jsonl');
    const notPrinted = renderEvidenceReport(
      verifySample({ records: { ...verifySample().records, printed: false } }),
    );
    expect(notPrinted).toContain('This run was not given --json');
  });

  it('states the verdict and the exit code', () => {
    expect(html).toMatch(
      /<div class="verdict fail" id="verdict">\n<span class="exit">exit code 1<\/span>\n<div class="name">NOT COMPLIANT<\/div>/,
    );
    const ok = renderEvidenceReport(
      verifySample({
        outcome: { verdict: 'COMPLIANT', headline: 'COMPLIANT: all 3', exitCode: 0, passed: true },
      }),
    );
    expect(ok).toContain('<div class="verdict pass" id="verdict">');
  });

  it('draws a ring part per class with bytes and a bar per verdict; an empty run draws an empty ring', () => {
    expect(html.match(/<circle class="part"/g)).toHaveLength(3);
    expect(html.match(/<rect class="bar"/g)).toHaveLength(4);
    const empty = renderEvidenceReport(
      verifySample({
        classes: [],
        totals: { objects: 0, bytes: 0, compliant: 0, needWork: 0, unknown: 0, deleted: 0 },
      }),
    );
    expect(empty).not.toContain('<circle class="part"');
    expect(empty).toContain('no bytes examined');
  });

  it('shows what is not known as unknown, never as 0 (audit rows without an inventory)', () => {
    const page = renderEvidenceReport(auditSample());
    expect(page).toContain('<h2>By bucket</h2>');
    expect(page).toMatch(
      /<td><code>secret<\/code><\/td><td><\/td><td class="num">unknown<\/td><td class="num">unknown<\/td><td class="num">unknown<\/td>/,
    );
    expect(page).toContain('<th scope="col">Bucket</th><th scope="col">Key</th>');
    expect(page).toContain('Buckets by verdict');
    expect(page).toContain('>1 bucket</text>');
    expect(html).toContain('>7 objects</text>');
  });

  it('refuses a report that is not one: negative counts, a bad hash, a row naming nothing', () => {
    expect(() =>
      renderEvidenceReport(
        verifySample({ totals: { objects: -1, bytes: 0, compliant: 0, needWork: 0, unknown: 0 } }),
      ),
    ).toThrow();
    expect(() =>
      renderEvidenceReport(verifySample({ records: { ...verifySample().records, sha256: 'xyz' } })),
    ).toThrow();
    expect(() => renderEvidenceReport(verifySample({ rows: [{ objects: 1, bytes: 1 }] }))).toThrow();
    expect(() => renderEvidenceReport(verifySample({ generatedAt: 'yesterday' }))).toThrow();
  });

  it('is pure: the same report gives the same bytes', () => {
    expect(renderEvidenceReport(verifySample())).toBe(html);
  });
});

describe('percent', () => {
  it('never shows a part that is there as 0% or one that is not whole as 100%', () => {
    expect(percent(1, 10_000)).toBe('<0.1%');
    expect(percent(9_999, 10_000)).toBe('>99.9%');
    expect(percent(1, 4)).toBe('25%');
    expect(percent(1, 3)).toBe('33.3%');
    expect(percent(0, 0)).toBe('0%');
  });
});

describe('barChart', () => {
  it('draws a part that is there, however small, and none for a part that is not', () => {
    const svg = barChart({
      id: 'b',
      title: 't',
      parts: [
        { label: 'big', value: 1_000_000, color: '#000' },
        { label: 'tiny', value: 1, color: '#000' },
        { label: 'none', value: 0, color: '#000' },
      ],
      format: String,
    });
    const widths = [...svg.matchAll(/<rect class="bar" [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([300, 2, 0]);
  });
});
