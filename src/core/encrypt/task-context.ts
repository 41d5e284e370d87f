/** What one object's worker shares with the others (TaskContext) and the helpers every path uses. */
import type { ResolvedKey } from '../kms/key.js';
import type { ObjectHead } from '../objects.js';
import type { Clock } from '../concurrency/clock.js';
import { decide, type Decision } from './decide.js';
import type { ObjectAcl, ObjectStore, StateStore } from './ports.js';
import type { BucketKeyVerdict, CopyMethodState, UoeCapability } from './probes.js';
import { paced, type Pacing } from './retry.js';
import { StoreError } from './store-error.js';
import type { ObjectResult } from './types.js';

/** Everything one object's worker needs; shared (and partly mutable) across the run. */
export interface TaskContext {
  bucket: string;
  store: ObjectStore;
  key: ResolvedKey;
  pacing: Pacing;
  clock: Clock;
  dryRun: boolean;
  multipartThreshold: number;
  partSize: number;
  partConcurrency: number;
  percentKeysSafe: boolean;
  bucketKey: BucketKeyVerdict;
  uoe: UoeCapability;
  copyMethod: CopyMethodState;
  /** Resolved once per run: do object ACLs matter on this bucket? */
  aclsInForce: () => Promise<boolean>;
  state?: StateStore | undefined;
  /** Unique per run, so concurrent runs never share a probe key. */
  probeKey: string;
  /** The canonical id new copies belong to, learnt from the first copy whose ACL is read. */
  copier: { id?: string | undefined };
  /** A note for the operator, printed once per distinct text. */
  note: (text: string) => void;
}

/** A failure that is the object's own (read-back mismatch, refused request): reported, never retried. */
export class ObjectFailure extends Error {}

/** decide() for this run's settings; `uoe` overrides when UpdateObjectEncryption is ruled out. */
export function decideFor(head: ObjectHead, ctx: TaskContext, uoe = ctx.uoe.state): Decision {
  return decide(head, {
    key: ctx.key,
    bucketKey: ctx.bucketKey.policy,
    uoe,
    multipartThreshold: ctx.multipartThreshold,
    copyMethod: ctx.copyMethod.current(),
    now: new Date(ctx.clock.now()),
    percentKeysSafe: ctx.percentKeysSafe,
  });
}

/** What a path that acted reports. */
export type Done = Pick<ObjectResult, 'action' | 'outcome' | 'reason' | 'parts'>;

/** Every HEAD of the run, so the bucket-key verdict sees whether the store ever reports the flag. */
export async function headOf(
  ctx: TaskContext,
  key: string,
  versionId?: string,
): Promise<ObjectHead | undefined> {
  const h = await paced(() => ctx.store.head(ctx.bucket, key, versionId), ctx.pacing);
  ctx.bucketKey.observe(h?.bucketKeyEnabled);
  return h;
}

/** The source ACL, read before a rewrite when ACLs are in force on the bucket. */
export async function sourceAcl(head: ObjectHead, ctx: TaskContext): Promise<ObjectAcl | undefined> {
  if (!(await ctx.aclsInForce())) return undefined;
  return paced(() => ctx.store.getAcl(ctx.bucket, head.key, head.versionId), ctx.pacing);
}

/** A failure as one short text for the object's result and the operator's notes. */
export function failureText(err: unknown): string {
  if (err instanceof StoreError) return `${err.message} (${err.awsCode})`;
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
