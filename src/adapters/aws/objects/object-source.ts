import type { Readable } from 'node:stream';
import type { ManifestReader } from '../../../core/encrypt/ports.js';
import { UsageError } from '../../../core/errors.js';
import { isS3Uri, parseS3Uri } from '../../../core/s3-uri.js';
import {
  batchCsvRows,
  localManifestExists,
  manifestUtf8,
  openLocal,
  readLocalManifestText,
} from '../../fs/batch-csv-reader.js';
import { decodeUtf8 } from '../../stream/utf8.js';
import type { AwsClients } from '../transport/clients.js';
import { call, httpStatus } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

/** --manifest sources: a local path or s3://bucket/key, streamed (GetObject body, file stream). */
export function manifestReader(aws: AwsClients): ManifestReader {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  const openS3 = async (location: string): Promise<Readable> => {
    const { bucket, key } = parseS3Uri(location, '--manifest');
    try {
      const out = await aws.s3.send(new sdk.s3.GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body as Readable;
    } catch (err) {
      if (httpStatus(err) === 404)
        throw new UsageError(`manifest ${location} does not exist`, 'check --manifest', 'BadManifest', {
          cause: err,
        });
      return call({ ...base, action: 's3:GetObject', bucket, key }, () => Promise.reject(err));
    }
  };
  const open = (location: string) => (isS3Uri(location) ? openS3(location) : openLocal(location));
  return {
    rows(location) {
      return batchCsvRows(() => open(location), location);
    },
    async text(location) {
      if (!isS3Uri(location)) return readLocalManifestText(location);
      const body = await openS3(location);
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c as Buffer);
      return decodeUtf8(Buffer.concat(chunks), manifestUtf8(location));
    },
    exists(location) {
      return isS3Uri(location) || localManifestExists(location);
    },
  };
}
