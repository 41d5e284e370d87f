import { UsageError } from '../errors.js';
import { formatS3Uri, isS3Uri, parseS3Uri } from '../s3-uri.js';
import type { FileRef } from './ports.js';

/** `s3://bucket/key` or a local path, as one flag accepts either. */
export function toFileRef(value: string, flag: string, cwd: string): FileRef {
  const v = value.trim();
  if (v === '')
    throw new UsageError(`${flag} is empty`, 'give a file path or an s3://BUCKET/KEY URI', 'InvalidOption');
  if (isS3Uri(v)) {
    const location = parseS3Uri(v, flag);
    if (!location.key) {
      throw new UsageError(`${flag} "${value}" names no object`, 'give s3://BUCKET/KEY', 'InvalidS3Uri');
    }
    return { kind: 's3', location };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    throw new UsageError(
      `${flag} "${value}" is neither a file path nor an s3:// URI`,
      'give a file path or s3://BUCKET/KEY',
      'InvalidOption',
    );
  }
  return { kind: 'file', path: v, cwd, flag };
}

export function describeRef(ref: FileRef): string {
  return ref.kind === 's3' ? formatS3Uri(ref.location) : ref.path;
}
