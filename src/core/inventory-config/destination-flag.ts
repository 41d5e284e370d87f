import { UsageError } from '../errors.js';
import { cleanPrefix, isBucketName, isS3Uri, parseS3Uri } from '../s3-uri.js';

/**
 * setup-inventory's --destination (a bucket name, or s3://BUCKET/PREFIX) with --destination-prefix:
 * the bucket and the key prefix the reports land under. The prefix is given once, either way.
 */
export function destinationOf(
  value: string,
  prefixFlag: string | undefined,
): { bucket: string; prefix: string } {
  if (isS3Uri(value)) {
    const loc = parseS3Uri(value, '--destination');
    if (loc.key && prefixFlag !== undefined) {
      throw new UsageError(
        '--destination names a prefix and --destination-prefix gives another',
        'give the prefix once: --destination s3://BUCKET/PREFIX or --destination BUCKET --destination-prefix PREFIX',
        'ConflictingOptions',
      );
    }
    return { bucket: loc.bucket, prefix: cleanPrefix(loc.key || prefixFlag) };
  }
  if (!isBucketName(value)) {
    throw new UsageError(
      `invalid --destination "${value}"`,
      'give a bucket name, or s3://BUCKET/PREFIX',
      'InvalidOption',
    );
  }
  return { bucket: value, prefix: cleanPrefix(prefixFlag) };
}
