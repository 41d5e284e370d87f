// The S3 store a job runs against (moto or Ceph RGW): one SDK client, path-style, with the
// credentials the service was started with.
import { S3Client } from '@aws-sdk/client-s3';

export interface StoreConfig {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function storeClient(c: StoreConfig): S3Client {
  return new S3Client({
    endpoint: c.endpoint,
    region: c.region,
    forcePathStyle: true,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    // older S3-compatible servers (Ceph RGW 16) refuse the SDK's default CRC32 trailers
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

/** The S3 error code, HTTP status and message of a failed SDK call. */
export function errorOf(err: unknown): { code: string; status: number; message: string } {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return {
    code: e?.name ?? 'InternalError',
    status: e?.$metadata?.httpStatusCode ?? 500,
    message: e?.message ?? String(err),
  };
}
