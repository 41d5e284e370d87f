/**
 * encrypt's words: the lines before the run, one line per failed or skipped object, the live
 * progress line, the summary table and the closing DONE / FAILED / STOPPED / INTERRUPTED line.
 * --json gets the records (core/encrypt/record.ts) and the summary document.
 */
import type { EncryptEvents, EncryptProgress } from '../core/encrypt/encrypt-bucket.js';
import type { EncryptSummary } from '../core/encrypt/engine.js';
import { pacingLine } from './pacing-line.js';
import { resultRecord } from '../core/encrypt/record.js';
import { reasonCode } from '../core/encrypt/tally.js';
import { Category } from '../core/encrypt/types.js';
import { formatBytes, formatCount, formatDuration, printable, quoted, table } from './format.js';
import { LiveProgress } from './live-progress.js';
import type { Output } from './output.js';
import type { ProgressView } from './progress.js';

/** The flags the words depend on. */
export interface EncryptView {
  bucket: string;
  prefix?: string | undefined;
  dryRun: boolean;
  allowEmpty: boolean;
  maxFailures?: number | undefined;
  report?: string | undefined;
  /** Failed and skipped objects listed in human output (--show). */
  show: number;
}

/** The use case's events as lines on `out`. */
export function encryptEvents(out: Output, v: EncryptView): EncryptEvents {
  let shown = 0;
  let live: LiveProgress | undefined;
  return {
    warn: (text) => out.warn(text),
    debug: (text) => out.debug(text),
    opened(run) {
      out.say(
        printable(
          `${v.dryRun ? 'Planning' : 'Encrypting'} s3://${v.bucket}/${v.prefix ?? ''} under ${run.keyId} (bucket key on) from ${run.label}${run.total !== undefined ? ` (${formatCount(run.total)} objects)` : ''}`,
        ),
      );
      if (run.statePath)
        out.say(
          `State: ${run.statePath}${run.resumed > 0 ? ` (resuming: ${formatCount(run.resumed)} objects finished by earlier runs are skipped)` : ''}`,
        );
      else if (v.dryRun) out.say('Dry run: nothing is written (no objects, no state file).');
    },
    running(run) {
      if (run.bucketKey === 'accept-absent')
        out.say(
          'Bucket key: not verifiable (--skip-key-check): a read-back without BucketKeyEnabled is accepted; an explicit false is not.',
        );
      live = new LiveProgress(out, () => progressView(run.progress())).start();
    },
    result(r) {
      out.record(resultRecord(r));
      if (
        !out.json &&
        (r.outcome === 'failed' || r.outcome === 'skipped' || r.outcome === 'unverified') &&
        shown++ < v.show
      )
        out.say(
          `  ${r.outcome.padEnd(8)} ${quoted(r.key)}${r.versionId ? ` (version ${r.versionId})` : ''}: ${printable(r.reason ?? '')}`,
        );
    },
    stopped: () => live?.stop(),
  };
}

/** The progress line: over a manifest's row count, or the count of a listing walked ahead. */
function progressView(p: EncryptProgress): ProgressView {
  return {
    done: p.done,
    total: p.total,
    growing: p.growing,
    unit: 'objects',
    extras: [formatBytes(p.bytes), `${formatCount(p.failures)} failed`],
  };
}

/** A source that names no object, known before anything was opened or written. */
export function renderNothingToDo(out: Output, label: string): void {
  out.record({ summary: { processed: 0, empty: true } });
  out.say(out.style.red(`NOTHING TO DO: ${label} names no object; pass --allow-empty if that is expected`));
}

const LABEL: Record<Category, string> = {
  'skipped-compliant': 'already compliant',
  updated: 'updated (UpdateObjectEncryption)',
  copied: 'copied (CopyObject)',
  'multipart-copied': 'copied (multipart)',
  skipped: 'skipped',
  vanished: 'vanished (proved deleted meanwhile)',
  unverified: 'unverified (the store proved nothing)',
  failed: 'failed',
};

export function renderEncryptSummary(
  out: Output,
  s: EncryptSummary,
  v: EncryptView,
  statePath: string | undefined,
  empty: boolean,
): void {
  out.record({ summary: { ...s, statePath: statePath ?? null, empty } });
  if (out.json) return;
  out.say('');
  out.say(table(summaryRows(s)));
  if (s.dryRun && s.requests && s.kms) {
    out.say('');
    out.say('Requests (estimate):');
    // Object.entries types an interface's values as any: every count here is a number.
    const requests = Object.entries(s.requests) as [string, number][];
    out.say(table(requests.filter(([, n]) => n > 0).map(([api, n]) => [`  ${api}`, formatCount(n)])));
    if (s.aclsInForce)
      out.say('  (ACL requests are upper bounds: an ACL is put back only where a copy changed it)');
    out.say(`KMS requests (estimate): at most ${formatCount(s.kms.upperBound)}: ${s.kms.assumption}`);
    if (s.planned.update)
      out.say(
        'UpdateObjectEncryption is probed at run time; where the store lacks it (S3-compatible stores), those objects are copied instead.',
      );
  }
  out.say('');
  const how = [
    s.updateObjectEncryption.note,
    s.copyMethod.note,
    s.bucketKey.acceptedAbsent ? 'bucket keys: not reported by this store (absence accepted)' : undefined,
    s.pacing.throttles > 0
      ? `throttled ${formatCount(s.pacing.throttles)} times: concurrency went down to ${s.pacing.lowestConcurrency}`
      : undefined,
    s.dryRun ? undefined : pacingLine(s.pacing),
    s.pacing.retries > 0 ? `${formatCount(s.pacing.retries)} requests retried` : undefined,
  ].filter((x): x is string => x !== undefined);
  for (const line of how) out.say(`  ${line}`);
  out.say(closingLine(out, s, v, empty));
}

function summaryRows(s: EncryptSummary): string[][] {
  const rows = [['result', 'objects', 'bytes']];
  const row = (cat: Category): string[] => [
    LABEL[cat],
    formatCount(s.byCategory[cat].objects),
    formatBytes(s.byCategory[cat].bytes),
  ];
  if (s.dryRun) {
    for (const [action, c] of Object.entries(s.planned))
      rows.push([`would ${action}`, formatCount(c.objects), formatBytes(c.bytes)]);
    for (const cat of ['skipped-compliant', 'skipped', 'vanished', 'unverified', 'failed'] as const)
      if (s.byCategory[cat].objects > 0) rows.push(row(cat));
  } else {
    for (const cat of Object.values(Category))
      if (s.byCategory[cat].objects > 0 || cat === Category.FAILED || cat === Category.UNVERIFIED)
        rows.push(row(cat));
  }
  for (const [reason, c] of Object.entries(s.skippedByReason))
    rows.push([`  skipped: ${reasonCode(reason)}`, formatCount(c.objects), formatBytes(c.bytes)]);
  if (s.resumed > 0) rows.push(['finished earlier (state file)', formatCount(s.resumed), '']);
  return rows;
}

/** The one line that says how the run ended. */
function closingLine(out: Output, s: EncryptSummary, v: EncryptView, empty: boolean): string {
  const { red, green, yellow } = out.style;
  const elapsed = formatDuration(s.elapsedMs / 1000);
  if (empty && !s.interrupted) {
    const line = `NOTHING EXAMINED: no object matched s3://${s.bucket}/${v.prefix ?? ''}${v.allowEmpty ? ' (--allow-empty)' : '; check --prefix / --manifest, or pass --allow-empty if that is expected'}`;
    return v.allowEmpty ? line : red(line);
  }
  if (s.dryRun)
    return `Dry run: ${formatCount(s.processed)} objects read in ${elapsed}; nothing was written.${s.unverified > 0 ? ` ${formatCount(s.unverified)} could not be verified (see above).` : ''}`;
  const written =
    s.byCategory.updated.objects + s.byCategory.copied.objects + s.byCategory['multipart-copied'].objects;
  const skipped = s.byCategory.skipped.objects;
  if (s.interrupted)
    return yellow(
      `INTERRUPTED after ${formatCount(s.processed)} objects (${formatCount(written)} rewritten): run the same command again to resume.`,
    );
  if (s.stoppedAtFailureStreak)
    return red(
      `STOPPED: ${formatCount(s.stoppedAtFailureStreak.objects)} objects in a row failed, none done in between (last: ${printable(s.stoppedAtFailureStreak.lastReason ?? 'no reason')}); fix the cause and run again (the state file resumes).`,
    );
  if (s.stoppedAtMaxFailures)
    return red(
      `STOPPED at --max-failures ${v.maxFailures}: ${formatCount(s.failures)} objects failed; fix the cause and run again.`,
    );
  if (s.failures > 0 || s.unverified > 0) {
    const of = `of ${formatCount(s.processed)} objects`;
    const what =
      s.failures === 0
        ? `UNVERIFIED: ${formatCount(s.unverified)} ${of} could not be verified (the store's answers proved nothing)`
        : `FAILED: ${formatCount(s.failures)} ${of} failed${s.unverified > 0 ? ` and ${formatCount(s.unverified)} could not be verified` : ''}`;
    return red(`${what} (reasons above${v.report ? ` and in ${v.report}` : ''}); run again to retry them.`);
  }
  const rest = `${formatCount(written)} objects rewritten and read back, ${formatCount(s.byCategory['skipped-compliant'].objects)} already compliant${s.byCategory.vanished.objects > 0 ? `, ${formatCount(s.byCategory.vanished.objects)} proved deleted meanwhile` : ''} in ${elapsed}`;
  // DONE means every object was seen compliant: a skipped one was left as it was.
  if (skipped > 0)
    return red(
      `NOT DONE: ${formatCount(skipped)} objects were skipped and are not compliant (reasons above${v.report ? ` and in ${v.report}` : ''}): restore archived objects, have SSE-C and DSSE-KMS ones rewritten by their writer, then run again; ${rest}.`,
    );
  return green(`DONE: ${rest}.`);
}
