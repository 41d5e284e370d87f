/**
 * verify --live's use case: reach the bucket, list and HEAD every object (live-verify.ts), count
 * the verdicts, then the headline and the exit code (verify-outcome.ts). Text for people is the
 * caller's (output/verify-render.ts).
 */
import { CountAhead, listingTotal, type ListingTotal } from '../concurrency/count-ahead.js';
import { limiterFor } from '../concurrency/aimd.js';
import { systemClock, type Clock } from '../concurrency/clock.js';
import type { ResolvedKey } from '../kms/key.js';
import type { ObjectReader } from '../ports.js';
import { verifyLive, type LiveVerifyInput } from './live-verify.js';
import { isReported, Tally, type Verdict, type VerifySummary } from './tally.js';
import { verifyExitCode, verifyOutcome, type VerifyOutcome } from './verify-outcome.js';

/** What the flags ask for. */
export interface LiveVerifyRequest extends Omit<LiveVerifyInput, 'key' | 'limiter' | 'clock' | 'signal'> {
  /** A fixed ceiling of HEADs in flight; undefined: the run finds its own (concurrency/aimd.ts ADAPTIVE). */
  concurrency?: number | undefined;
  clock?: Clock | undefined;
  allowEmpty: boolean;
  signal: AbortSignal;
  /** Count the listing ahead of the HEADs: worth its requests only where a progress line shows. */
  countAhead: boolean;
}

export interface LiveVerifyPorts {
  /** Reaches the bucket (its region) and checks the key: the first request of the run. */
  connect(): Promise<{ key: ResolvedKey; objects: ObjectReader }>;
}

/** The progress line's facts: `total` from the listing counted ahead. */
interface LiveVerifyProgress extends ListingTotal {
  done: number;
  needWork: number;
}

export interface LiveVerifyEvents {
  /** The bucket is reached and the key checked; no object was asked about yet. */
  checking(key: ResolvedKey): void;
  /** The objects are about to start; `progress` may be read at any time until `stopped`. */
  running(progress: () => LiveVerifyProgress): void;
  /** An object that needs work or could not be verified. */
  reported(v: Verdict): void;
  stopped(): void;
}

interface LivePacing {
  throttles: number;
  backoffs: number;
  highestConcurrency: number;
}

/** What a verify run proved. */
export interface VerifyRun {
  key: ResolvedKey;
  summary: VerifySummary;
  /** --live: how the run paced itself (throttling answers, cuts, the highest concurrency reached). */
  pacing?: LivePacing | undefined;
  interrupted: boolean;
  outcome: VerifyOutcome;
  exitCode: number;
}

export async function verifyBucket(
  ports: LiveVerifyPorts,
  req: LiveVerifyRequest,
  events: LiveVerifyEvents,
): Promise<VerifyRun> {
  const { key, objects } = await ports.connect();
  events.checking(key);
  const tally = new Tally();
  const clock = req.clock ?? systemClock;
  const limiter = limiterFor(req.concurrency, clock);
  // The same listing walked ahead, counting only, gives the progress line its total.
  const ahead = req.countAhead
    ? new CountAhead(
        objects.list(req.bucket, { prefix: req.prefix, allVersions: req.allVersions }),
        (o) => !(o as { isDeleteMarker?: boolean }).isDeleteMarker,
      )
    : undefined;
  events.running(() => ({
    done: tally.checked,
    ...listingTotal(tally.checked, ahead),
    needWork: tally.summary().offenders,
  }));
  try {
    const input = { ...req, limiter, clock, key };
    for await (const v of verifyLive(objects, input)) {
      tally.add(v);
      if (isReported(v)) events.reported(v);
    }
  } finally {
    ahead?.stop();
    events.stopped();
  }
  const summary = tally.summary();
  const interrupted = req.signal.aborted;
  const outcome = verifyOutcome(summary, interrupted, req.allowEmpty, {
    compliant: 'objects seen are SSE-KMS under the target key',
    empty: `no object listed under s3://${req.bucket}/${req.prefix ?? ''}`,
  });
  return {
    key,
    summary,
    pacing: { throttles: limiter.throttles, backoffs: limiter.backoffs, highestConcurrency: limiter.highest },
    interrupted,
    outcome,
    exitCode: verifyExitCode(summary, interrupted, req.allowEmpty),
  };
}
