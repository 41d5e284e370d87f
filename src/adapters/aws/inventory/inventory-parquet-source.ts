import type { Readable } from 'node:stream';
import { PreconditionError } from '../../../core/errors.js';
import type { ParquetSource } from '../../stream/parquet-scan.js';
import type { AwsClients } from '../transport/clients.js';
import { errorName, httpStatus, mapAwsError } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

/**
 * A Parquet data file in S3: the footer by ranged GETs, then one GET of the whole file (hashed
 * as it streams). A missing file is the delivery's fault (exit 3), as for CSV.
 */
export function s3ParquetSource(aws: AwsClients, bucket: string, key: string): ParquetSource {
  const ctx = {
    region: aws.config.region,
    endpoint: aws.config.endpoint,
    bucket,
    key,
    action: 's3:GetObject',
  };
  /** A GET; `undefined` when a suffix range meets an empty object (S3 answers 416 InvalidRange). */
  const get = async (range: string | undefined, signal: AbortSignal) => {
    try {
      return await aws.s3.send(new sdk.s3.GetObjectCommand({ Bucket: bucket, Key: key, Range: range }), {
        abortSignal: signal,
      });
    } catch (err) {
      if (range?.startsWith('bytes=-') && (httpStatus(err) === 416 || errorName(err) === 'InvalidRange'))
        return undefined;
      if (httpStatus(err) === 404 || errorName(err) === 'NoSuchKey') {
        throw new PreconditionError(
          'InventoryFileMissing',
          `data file s3://${bucket}/${key} named by manifest.json does not exist`,
          'the delivery is incomplete or was cleaned up: wait for the next one, or pass --date to pick another',
          { cause: err },
        );
      }
      throw mapAwsError(err, ctx);
    }
  };
  const bytes = async (out: { Body?: unknown }): Promise<Uint8Array> => {
    try {
      return await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    } catch (err) {
      throw mapAwsError(err, ctx);
    }
  };
  return {
    async tail(n, signal) {
      const out = await get(`bytes=-${n}`, signal);
      if (out === undefined) return { bytes: new Uint8Array(0), length: 0 };
      const body = await bytes(out);
      // "bytes 100-199/200"; a store that ignores Range answers 200 with the whole object.
      const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
      const length = total !== undefined ? Number(total) : body.length;
      return { bytes: body.length > n ? body.subarray(body.length - n) : body, length };
    },
    async range(start, end, signal) {
      const body = await bytes((await get(`bytes=${start}-${end - 1}`, signal)) ?? {});
      if (body.length !== end - start) {
        throw new PreconditionError(
          'InventoryFileCorrupt',
          `s3://${bucket}/${key}: asked for ${end - start} bytes at ${start}, got ${body.length}`,
          'the data file changed while it was read: run the command again',
        );
      }
      return body;
    },
    async body(signal) {
      return (await get(undefined, signal))?.Body as Readable;
    },
  };
}
