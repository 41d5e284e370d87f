import type { InventoryConfiguration, LifecycleRule as S3LifecycleRule } from '@aws-sdk/client-s3';
import type {
  BucketAudit,
  InventoryConfigInfo,
  LifecycleRule,
  NotificationTarget,
  VersioningStatus,
} from '../../../core/plan/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { errorCode, errorName, mapAwsError } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

/**
 * Read-only bucket settings for plan. "Not configured" comes back from S3 as a 404 with a
 * setting-specific code; those become empty answers here, everything else an S3EncryptError.
 */
export function bucketAudit(aws: AwsClients): BucketAudit {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  async function get<T>(
    action: string,
    bucket: string,
    notFound: string[],
    fn: () => Promise<T>,
    key?: string,
  ): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const name = errorName(err) ?? '';
      if (notFound.includes(name)) return undefined;
      throw mapAwsError(err, { ...base, action, bucket, key });
    }
  }

  return {
    async versioning(bucket) {
      const out = await get('s3:GetBucketVersioning', bucket, [], () =>
        aws.s3.send(new sdk.s3.GetBucketVersioningCommand({ Bucket: bucket })),
      );
      return versioningStatus(out?.Status);
    },

    async lifecycleRules(bucket) {
      const out = await get('s3:GetLifecycleConfiguration', bucket, ['NoSuchLifecycleConfiguration'], () =>
        aws.s3.send(new sdk.s3.GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
      );
      return (out?.Rules ?? []).map(toLifecycleRule);
    },

    async objectLock(bucket) {
      const out = await get(
        's3:GetBucketObjectLockConfiguration',
        bucket,
        ['ObjectLockConfigurationNotFoundError'],
        () => aws.s3.send(new sdk.s3.GetObjectLockConfigurationCommand({ Bucket: bucket })),
      );
      const cfg = out?.ObjectLockConfiguration;
      if (!cfg) return undefined;
      const r = cfg.Rule?.DefaultRetention;
      return {
        enabled: cfg.ObjectLockEnabled === 'Enabled',
        defaultMode: r?.Mode,
        defaultDays: r?.Days,
        defaultYears: r?.Years,
      };
    },

    async ownership(bucket) {
      const out = await get('s3:GetBucketOwnershipControls', bucket, ['OwnershipControlsNotFoundError'], () =>
        aws.s3.send(new sdk.s3.GetBucketOwnershipControlsCommand({ Bucket: bucket })),
      );
      return out?.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
    },

    async objectAcl(bucket, key) {
      try {
        const out = await aws.s3.send(new sdk.s3.GetObjectAclCommand({ Bucket: bucket, Key: key }));
        return {
          ownerId: out.Owner?.ID,
          grants: (out.Grants ?? []).map((g) => ({
            type: g.Grantee?.Type ?? 'CanonicalUser',
            id: g.Grantee?.ID,
            uri: g.Grantee?.URI,
            email: g.Grantee?.EmailAddress,
            permission: g.Permission ?? '',
          })),
        };
      } catch (err) {
        // Gone only on the store's word (its error code); a bare 404 is a failure to report.
        if (errorCode(err) === 'NoSuchKey' || errorCode(err) === 'NoSuchVersion') return undefined;
        throw mapAwsError(err, { ...base, action: 's3:GetObjectAcl', bucket, key });
      }
    },

    async replicationRules(bucket) {
      const out = await get(
        's3:GetReplicationConfiguration',
        bucket,
        ['ReplicationConfigurationNotFoundError'],
        () => aws.s3.send(new sdk.s3.GetBucketReplicationCommand({ Bucket: bucket })),
      );
      return (out?.ReplicationConfiguration?.Rules ?? []).map((r) => ({
        id: r.ID,
        enabled: r.Status === 'Enabled',
        destination: r.Destination?.Bucket ?? '(no destination)',
        sseKmsEncryptedObjects: r.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status === 'Enabled',
        replicaKmsKeyId: r.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID,
      }));
    },

    async notifications(bucket) {
      const out = await get('s3:GetBucketNotification', bucket, [], () =>
        aws.s3.send(new sdk.s3.GetBucketNotificationConfigurationCommand({ Bucket: bucket })),
      );
      const targets: NotificationTarget[] = [
        ...(out?.QueueConfigurations ?? []).map((q) => ({
          kind: 'queue' as const,
          arn: q.QueueArn ?? '',
          events: q.Events ?? [],
        })),
        ...(out?.TopicConfigurations ?? []).map((t) => ({
          kind: 'topic' as const,
          arn: t.TopicArn ?? '',
          events: t.Events ?? [],
        })),
        ...(out?.LambdaFunctionConfigurations ?? []).map((l) => ({
          kind: 'lambda' as const,
          arn: l.LambdaFunctionArn ?? '',
          events: l.Events ?? [],
        })),
      ];
      return { targets, eventBridge: out?.EventBridgeConfiguration !== undefined };
    },

    async inventoryConfigurations(bucket) {
      const all: InventoryConfigInfo[] = [];
      let token: string | undefined;
      do {
        const page = await get('s3:GetInventoryConfiguration', bucket, [], () =>
          aws.s3.send(
            new sdk.s3.ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }),
          ),
        );
        for (const listed of page?.InventoryConfigurationList ?? []) {
          // A listed field S3 does not define (moto 5.2 lists every field as "Field") is an
          // answer that proves nothing: the configuration read by its id is asked instead.
          const known = (listed.OptionalFields ?? []).every((f) =>
            Object.values(sdk.s3.InventoryOptionalField).includes(f),
          );
          const config =
            known || !listed.Id
              ? listed
              : ((
                  await get('s3:GetInventoryConfiguration', bucket, [], () =>
                    aws.s3.send(
                      new sdk.s3.GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: listed.Id }),
                    ),
                  )
                )?.InventoryConfiguration ?? listed);
          all.push(toInventoryInfo(config));
        }
        token = page?.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return all;
    },
  };
}

function toLifecycleRule(r: S3LifecycleRule): LifecycleRule {
  const f = r.Filter;
  const prefix = f?.Prefix ?? f?.And?.Prefix ?? r.Prefix;
  const narrowed = !!(
    f?.Tag ||
    f?.And?.Tags?.length ||
    f?.ObjectSizeGreaterThan ||
    f?.ObjectSizeLessThan ||
    f?.And?.ObjectSizeGreaterThan ||
    f?.And?.ObjectSizeLessThan
  );
  const scope = [...(prefix ? [`prefix ${prefix}`] : []), ...(narrowed ? ['tag or size filter'] : [])].join(
    ', ',
  );
  return {
    id: r.ID,
    enabled: r.Status === 'Enabled',
    wholeBucket: !prefix && !narrowed,
    scope: scope || 'whole bucket',
    noncurrentExpirationDays: r.NoncurrentVersionExpiration?.NoncurrentDays,
  };
}

function toInventoryInfo(c: InventoryConfiguration): InventoryConfigInfo {
  const d = c.Destination?.S3BucketDestination;
  const enc = d?.Encryption;
  return {
    id: c.Id ?? '',
    enabled: c.IsEnabled === true,
    format: d?.Format ?? '',
    includedVersions: c.IncludedObjectVersions ?? 'Current',
    optionalFields: c.OptionalFields ?? [],
    destinationBucket: d?.Bucket ?? '',
    destinationPrefix: d?.Prefix,
    filterPrefix: c.Filter?.Prefix,
    frequency: c.Schedule?.Frequency,
    encryption: enc?.SSEKMS
      ? { type: 'SSE-KMS', keyId: enc.SSEKMS.KeyId }
      : enc?.SSES3
        ? { type: 'SSE-S3' }
        : undefined,
  };
}

/** GetBucketVersioning's Status in the tool's words: no Status is a bucket that never had versioning. */
export function versioningStatus(status: string | undefined): VersioningStatus {
  return status === 'Enabled' || status === 'Suspended' ? status : 'Off';
}
