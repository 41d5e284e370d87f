import { UsageError } from '../errors.js';
import { parseS3Uri, type S3Location } from '../s3-uri.js';
import { deliverySource, type DeliverySource } from './delivery-manifests.js';
import { checkCopyStorageClass, checkRoleArn, type JobGroup } from './job-request.js';
import { checkJobSource, type JobSource, type JobSourceFlags } from './job-source.js';

/** create-job's flags, as its option schema gives them. */
export interface CreateJobFlags extends JobSourceFlags {
  bucket: string;
  group?: JobGroup | undefined;
  skipKeyCheck?: boolean | undefined;
  roleArn: string;
  report: string;
  priority: number;
  dryRun: boolean;
}

/** What the flags say once checked. */
export interface CheckedCreateJobFlags {
  source: JobSource;
  roleArn: string;
  report: S3Location;
  /** --inventory: which delivery the manifests are built from. */
  delivery?: DeliverySource | undefined;
}

/** Everything the flags alone can refuse, refused before any request. */
export function checkCreateJobFlags(flags: CreateJobFlags): CheckedCreateJobFlags {
  const source = checkJobSource(flags);
  if (flags.skipKeyCheck) {
    throw new UsageError(
      '--skip-key-check is not allowed with create-job',
      'Batch needs the full key ARN, which only KMS DescribeKey can give: pass a key KMS can describe',
      'KeyCheckRequired',
    );
  }
  const roleArn = checkRoleArn(flags.roleArn);
  const report = parseS3Uri(flags.report, '--report');
  if (flags.storageClass) checkCopyStorageClass(flags.storageClass, '--storage-class');
  const delivery =
    source === 'inventory'
      ? deliverySource(flags.inventory as string, flags.id as string, flags.bucket, flags.date)
      : undefined;
  return { source, roleArn, report, delivery };
}
