import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { stripQuotes } from '../../../core/batch/batch-manifests.js';
import type { BatchFiles, FileRef } from '../../../core/batch/ports.js';
import { UsageError } from '../../../core/errors.js';
import { formatS3Uri, type S3Location } from '../../../core/s3-uri.js';
import { readLocalText, writeLocalText } from '../../fs/local-text-file.js';
import { decodeUtf8 } from '../../stream/utf8.js';
import type { AwsClients } from '../transport/clients.js';
import { call, errorName, httpStatus, mapAwsError } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

const FIRST_LINE_BYTES = 64 * 1024;

/**
 * The files around a Batch job: summary.json, manifests, completion reports and retry manifests,
 * in S3 or (for summaries and retry manifests) on the local disk.
 */
export function batchFiles(aws: AwsClients): BatchFiles {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  const notFound = (what: string, cause?: unknown): UsageError =>
    new UsageError(`${what} does not exist`, 'check the path or s3:// URI', 'NotFound', { cause });

  async function getObject(loc: S3Location, range?: string) {
    try {
      return await aws.s3.send(
        new sdk.s3.GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: range }),
      );
    } catch (err) {
      if (errorName(err) === 'NoSuchKey') throw notFound(formatS3Uri(loc), err);
      throw mapAwsError(err, { ...base, action: 's3:GetObject', bucket: loc.bucket, key: loc.key });
    }
  }

  return {
    async readText(ref: FileRef) {
      if (ref.kind === 'file') return readLocalText(ref);
      const out = await getObject(ref.location);
      const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      return decodeUtf8(bytes, {
        where: formatS3Uri(ref.location),
        fix: 'save it as UTF-8',
        code: 'NotUtf8',
      });
    },

    async firstLine(loc) {
      let text: string;
      try {
        const out = await getObject(loc, `bytes=0-${FIRST_LINE_BYTES - 1}`);
        text = (await out.Body?.transformToString('utf-8')) ?? '';
      } catch (err) {
        // A range on an empty object is unsatisfiable (416): the manifest has no first line.
        const cause = (err as { cause?: unknown }).cause;
        if (httpStatus(cause) === 416 || errorName(cause) === 'InvalidRange') return '';
        throw err;
      }
      const nl = text.indexOf('\n');
      return nl < 0 ? text : text.slice(0, nl);
    },

    async head(loc) {
      try {
        const out = await aws.s3.send(new sdk.s3.HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
        return { etag: stripQuotes(out.ETag ?? ''), serverSideEncryption: out.ServerSideEncryption };
      } catch (err) {
        if (httpStatus(err) === 404) return undefined;
        throw mapAwsError(err, { ...base, action: 's3:GetObject', bucket: loc.bucket, key: loc.key });
      }
    },

    async *csvRows(loc) {
      const out = await getObject(loc);
      const body = out.Body as Readable | undefined;
      if (!body) return;
      // Reports quote ResultMessage with "" escapes and may carry a ragged last column.
      const parser = body.pipe(parse({ relax_column_count: true, skip_empty_lines: true, bom: true }));
      for await (const row of parser as AsyncIterable<string[]>) yield row;
    },

    async writeText(ref, text, contentType) {
      if (ref.kind === 'file') {
        await writeLocalText(ref, text);
        return {};
      }
      const loc = ref.location;
      const out = await call({ ...base, action: 's3:PutObject', bucket: loc.bucket, key: loc.key }, () =>
        aws.s3.send(
          new sdk.s3.PutObjectCommand({
            Bucket: loc.bucket,
            Key: loc.key,
            Body: text,
            ContentType: contentType,
            ServerSideEncryption: 'AES256',
          }),
        ),
      );
      return { etag: out.ETag ? stripQuotes(out.ETag) : undefined };
    },
  };
}
