/** ARNs for the resources s3-encrypt policies name; the partition comes from the key ARN. */

export function partitionOf(arn: string): string {
  return /^arn:(aws[a-z-]*):/.exec(arn)?.[1] ?? 'aws';
}

export const s3BucketArn = (partition: string, bucket: string): string => `arn:${partition}:s3:::${bucket}`;

/** Every object under `prefix` ('' for the whole bucket): `arn:aws:s3:::bucket/prefix/*`. */
export function s3ObjectsArn(partition: string, bucket: string, prefix = ''): string {
  const p = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  return `${s3BucketArn(partition, bucket)}/${p ? `${p}/` : ''}*`;
}

export const batchJobsArn = (partition: string, region: string, account: string): string =>
  `arn:${partition}:s3:${region}:${account}:job/*`;

export const roleArn = (partition: string, account: string, roleName: string): string =>
  `arn:${partition}:iam::${account}:role/${roleName}`;

export const s3ViaService = (region: string): string => `s3.${region}.amazonaws.com`;
