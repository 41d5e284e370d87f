#!/usr/bin/env node
// Turns `s3-encrypt --json verify` output (JSON lines on stdin) into a Markdown job summary,
// appended to $GITHUB_STEP_SUMMARY (stdout when it is unset), and exits with verify's exit code.
//
//   s3-encrypt --json verify ... > verify.jsonl; code=$?
//   node action/summary.mjs --exit-code "$code" < verify.jsonl
//
// Three kinds of line: an offender or unverified object {"key","versionId","class","isLatest",
// "reason"?}, the last line {"summary":{...}}, or, on failure, {"error":{...}}. The input can be
// millions of lines long: it is read line by line and only the first offenders are kept.
//
// The step never reports more than the output proves: an exit code of 0 with no summary line, a
// summary that names objects needing work or unverified, or a line that is not one of the three
// kinds, makes the step fail (exit 1) with the reason in the summary.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const FIRST_OFFENDERS = 20;
const CELL_MAX = 300;

/**
 * Parses `--exit-code N` (0-255). Anything else is a usage error: without verify's own exit code
 * the step cannot say what verify proved.
 */
function exitCodeArg(argv) {
  const i = argv.indexOf('--exit-code');
  const raw = i >= 0 ? argv[i + 1] : undefined;
  if (raw === undefined || !/^\d{1,3}$/.test(raw) || Number(raw) > 255) return undefined;
  return Number(raw);
}

/** Text shown in a Markdown table cell: no raw control characters, HTML or pipes, bounded. */
function cell(value) {
  let s = JSON.stringify(String(value)).slice(1, -1); // escapes control characters (\n, \u001b)
  if (s.length > CELL_MAX) s = `${s.slice(0, CELL_MAX)}...`;
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '&#124;')
    .replaceAll('`', '&#96;')
    .replaceAll('*', '&#42;')
    .replaceAll('_', '&#95;')
    .replaceAll('[', '&#91;')
    .replaceAll(']', '&#93;');
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v) => Number.isSafeInteger(v) && v >= 0;

/** One parsed line, or a string saying why it is not one of verify's three kinds. */
function classify(line) {
  let doc;
  try {
    doc = JSON.parse(line);
  } catch {
    return 'a line that is not JSON';
  }
  if (!isObject(doc)) return 'a JSON line that is not an object';
  if ('summary' in doc) {
    const s = doc.summary;
    const counts = ['checked', 'compliant', 'needWork', 'vanished', 'unverified'];
    if (!isObject(s) || !counts.every((k) => isCount(s[k])) || !isObject(s.byClass))
      return 'a summary line without its counts';
    return { kind: 'summary', summary: s };
  }
  if ('error' in doc) {
    return isObject(doc.error) ? { kind: 'error', error: doc.error } : 'an error line without its fields';
  }
  if (typeof doc.key === 'string' && typeof doc.class === 'string') return { kind: 'record', record: doc };
  return 'a JSON object that is neither an object record, a summary nor an error';
}

function verdictOf(state, code) {
  const s = state.summary;
  if (state.error) return `ERROR (exit ${code})`;
  if (!s) return `NO SUMMARY (exit ${code})`;
  if (s.interrupted === true) return `INTERRUPTED after ${s.checked} objects (exit ${code})`;
  if (s.checked === 0)
    return code === 0 ? 'NOTHING EXAMINED (--allow-empty)' : `NOTHING EXAMINED (exit ${code})`;
  if (s.needWork > 0)
    return `NOT COMPLIANT: ${s.needWork} of ${s.checked} objects need work${s.unverified > 0 ? `, ${s.unverified} could not be verified` : ''} (exit ${code})`;
  if (s.unverified > 0)
    return `UNVERIFIED: ${s.unverified} of ${s.checked} objects could not be verified (exit ${code})`;
  if (s.compliant === 0)
    return `NOTHING VERIFIED: all ${s.vanished} listed objects were deleted meanwhile (exit ${code})`;
  return code === 0 ? `COMPLIANT: all ${s.compliant} objects seen are compliant` : `exit ${code}`;
}

/** Why an exit code of 0 is not borne out by the output, or undefined when it is. */
function contradiction(state) {
  const s = state.summary;
  if (state.bad.length > 0) return `verify printed ${state.bad[0]} (line ${state.badLine})`;
  if (state.error) return 'verify printed an error document';
  if (!s) return 'verify printed no summary line';
  if (s.interrupted === true) return 'the run was interrupted';
  if (s.needWork > 0 || s.unverified > 0)
    return 'the summary names objects that need work or were not verified';
  if (state.records > 0) return 'verify listed objects that need work or were not verified';
  return undefined;
}

function markdown(state, code, note, title) {
  const out = [`### ${cell(title)}`, '', `**Verdict:** ${cell(verdictOf(state, code))}`, ''];
  if (note) out.push(`> [!CAUTION]`, `> The step fails: ${cell(note)}.`, '');
  if (state.error) {
    const e = state.error;
    out.push('| error | |', '|---|---|');
    for (const k of ['code', 'message', 'hint', 'exitCode'])
      if (e[k] !== undefined) out.push(`| ${k} | ${cell(e[k])} |`);
    out.push('');
  }
  const s = state.summary;
  if (s) {
    out.push('| class | objects |', '|---|---:|');
    for (const [cls, n] of Object.entries(s.byClass)) out.push(`| ${cell(cls)} | ${cell(n)} |`);
    out.push(`| **checked** | **${cell(s.checked)}** |`, '');
    // verify --inventory's extras: what the inventory says beyond the verdict.
    const nc = isObject(s.noncurrent) ? s.noncurrent.unencrypted : undefined;
    if (isCount(nc) && nc > 0)
      out.push(
        `${cell(nc)} noncurrent versions are not encrypted (not counted above; all-versions: true fails on them).`,
        '',
      );
    if (s.stale === true) out.push('The inventory delivery is stale: see the warning in the step log.', '');
  }
  if (state.first.length > 0) {
    const more = state.records - state.first.length;
    out.push(
      `First ${state.first.length} of ${state.records} objects that need work or could not be verified${more > 0 ? ` (${more} more in the JSON lines)` : ''}:`,
      '',
      '| key | version | class | latest | reason |',
      '|---|---|---|---|---|',
    );
    for (const r of state.first)
      out.push(
        `| ${cell(r.key)} | ${cell(r.versionId ?? 'null')} | ${cell(r.class)} | ${r.isLatest === false ? 'no' : 'yes'} | ${r.reason === undefined ? '' : cell(r.reason)} |`,
      );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

async function main() {
  const code = exitCodeArg(process.argv.slice(2));
  if (code === undefined) {
    console.error(
      'error: --exit-code N is missing or not 0-255: pass verify\'s exit code, e.g. --exit-code "$?"',
    );
    process.exit(2);
  }
  const title = process.env.S3E_SUMMARY_TITLE || 's3-encrypt verify';
  const state = { summary: undefined, error: undefined, records: 0, first: [], bad: [], badLine: 0 };
  let n = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    n++;
    if (line.trim() === '') continue;
    const got = classify(line);
    if (typeof got === 'string') {
      if (state.bad.length === 0) state.badLine = n;
      state.bad.push(got);
    } else if (got.kind === 'summary') state.summary = got.summary;
    else if (got.kind === 'error') state.error = got.error;
    else {
      state.records++;
      if (state.first.length < FIRST_OFFENDERS) state.first.push(got.record);
    }
  }
  const note = code === 0 ? contradiction(state) : undefined;
  const text = markdown(state, code, note, title);
  const target = process.env.GITHUB_STEP_SUMMARY;
  if (target) appendFileSync(target, text);
  else process.stdout.write(text);
  if (note) console.error(`error: verify exited 0 but ${note}: read the job summary and the verify output`);
  process.exit(note ? 1 : code);
}

await main();
