import type { AccountAccess, AuditDirectory, RegionReader } from '../../../core/audit/ports.js';
import { bucketAudit } from '../settings/bucket-audit.js';
import { bucketEncryptionStore } from '../settings/bucket-settings.js';
import { makeClients, type AwsClients, type AwsConfig } from '../transport/clients.js';
import { call } from '../transport/errors.js';
import { s3DeliveryReader } from '../inventory/inventory-reader.js';
import { keyDirectory } from '../settings/key-directory.js';
import { objectReader } from '../objects/object-reader.js';
import { listOrganizationAccounts } from './organizations.js';
import { checkProfileExists } from '../transport/profile.js';
import { sdk } from '../transport/sdk.js';

/** Assumed-role sessions are renewed this long before they expire (a long audit outlives one hour). */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * audit's reads in any account and region: one set of clients per credentials and region, built
 * on first use. `base` carries the endpoint, request limits and the run's interrupt.
 */
export function auditDirectory(
  base: AwsConfig,
  sharedFiles: { config?: string | undefined; credentials?: string | undefined },
): AuditDirectory {
  return {
    async open(profile) {
      if (profile) await checkProfileExists(profile, sharedFiles);
      return accountAccess({ ...base, profile });
    },
  };
}

/**
 * A credentials provider over AssumeRole sessions: the session in hand until it is within
 * RENEW_BEFORE_MS of its expiry, then one new AssumeRole shared by every request that asks
 * meanwhile (assumed-role credentials cannot refresh themselves, and a long audit outlives them). @internal
 */
export function renewing<T extends { expiration?: Date | undefined }>(
  first: T,
  again: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  let current = first;
  let pending: Promise<T> | undefined;
  return async () => {
    if (current.expiration && current.expiration.getTime() - now() < RENEW_BEFORE_MS) {
      pending ??= again().finally(() => (pending = undefined));
      current = await pending;
    }
    return current;
  };
}

function accountAccess(config: AwsConfig): AccountAccess {
  const home = makeClients(config);
  const readers = new Map<string, RegionReader>();
  const ctx = (action: string, bucket?: string) => ({
    action,
    bucket,
    region: config.region,
    endpoint: config.endpoint,
  });
  return {
    async identity() {
      const out = await call(ctx('sts:GetCallerIdentity'), () =>
        home.sts.send(new sdk.sts.GetCallerIdentityCommand({})),
      );
      if (!out.Account || !/^\d{12}$/.test(out.Account) || !out.Arn)
        throw new Error(`STS returned an invalid identity: ${out.Account} ${out.Arn}`);
      return { account: out.Account, arn: out.Arn };
    },
    async listBuckets() {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await call(ctx('s3:ListAllMyBuckets'), () =>
          home.s3.send(new sdk.s3.ListBucketsCommand({ MaxBuckets: 10_000, ContinuationToken: token })),
        );
        for (const b of page.Buckets ?? []) if (b.Name) names.push(b.Name);
        token = page.ContinuationToken || undefined;
      } while (token);
      return names;
    },
    async bucketRegion(bucket) {
      const out = await call(ctx('s3:GetBucketLocation', bucket), () =>
        home.s3.send(new sdk.s3.GetBucketLocationCommand({ Bucket: bucket })),
      );
      // S3 answers no constraint for us-east-1 and the legacy EU for eu-west-1.
      const c = out.LocationConstraint as string | undefined;
      return !c ? 'us-east-1' : c === 'EU' ? 'eu-west-1' : c;
    },
    organizationAccounts: () => listOrganizationAccounts(home, 'aws'),
    async assumeRole(roleArn, sessionName) {
      const assume = async () => {
        const out = await call(ctx('sts:AssumeRole'), () =>
          home.sts.send(new sdk.sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName })),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey)
          throw new Error(`STS AssumeRole returned no credentials for ${roleArn}`);
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
      };
      // The first session now, so a refused role is this account's row before any bucket.
      const credentials = renewing(await assume(), assume);
      return accountAccess({ ...config, profile: undefined, credentials });
    },
    inRegion(region) {
      let r = readers.get(region);
      if (!r) {
        const aws: AwsClients = region === config.region ? home : makeClients({ ...config, region });
        r = {
          encryption: bucketEncryptionStore(aws),
          settings: bucketAudit(aws),
          delivery: (loc) => s3DeliveryReader(aws, loc, 'local'),
          objects: objectReader(aws),
          keys: keyDirectory(aws),
        };
        readers.set(region, r);
      }
      return r;
    },
  };
}
