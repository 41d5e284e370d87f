import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { ManifestUploader, S3Location } from '../../core/inventory/ports.js';
import type { AwsClients } from './clients.js';
import { call } from './errors.js';
import { sdk } from './sdk.js';

/** One PUT up to this size; multipart above (a Batch manifest of ~100M keys exceeds 5 GB). */
const PART = 16 * 1024 * 1024;

const unquote = (etag: string | undefined): string => (etag ?? '').replace(/^"+|"+$/g, '');

/**
 * Manifest uploads. Always `ServerSideEncryption: AES256`: S3 Batch Operations cannot read a CSV
 * manifest encrypted with SSE-KMS, and the destination may default to SSE-KMS by now.
 */
export function manifestUploader(aws: AwsClients): ManifestUploader {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  const put = (to: S3Location, body: Buffer | string, contentType: string): Promise<string> =>
    call({ ...base, action: 's3:PutObject', bucket: to.bucket, key: to.key }, async () => {
      const out = await aws.s3.send(
        new sdk.s3.PutObjectCommand({
          Bucket: to.bucket,
          Key: to.key,
          Body: body,
          ContentType: contentType,
          ServerSideEncryption: 'AES256',
        }),
      );
      return unquote(out.ETag);
    });

  return {
    /**
     * One PUT of a plaintext / SSE-S3 object gets the MD5 of its bytes as ETag ("Objects created by
     * the PUT Object ... and are encrypted by SSE-S3 or plaintext, have ETags that are an MD5 digest
     * of their object data", API Object / Common Response Headers). Above PART, uploadFile sends
     * PART-sized parts: S3 then answers MD5(concatenated part MD5s)-N, the form every S3 (and moto)
     * gives, though AWS documents only that it is not the MD5 of the data.
     */
    async etagOf(path) {
      const { size } = await stat(path);
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(Math.min(PART, Math.max(size, 1)));
        const partMd5s: Buffer[] = [];
        for (let offset = 0; offset < size || partMd5s.length === 0; offset += PART) {
          const len = Math.min(PART, size - offset);
          await fh.read(buf, 0, len, offset);
          partMd5s.push(createHash('md5').update(buf.subarray(0, len)).digest());
        }
        if (size <= PART) return (partMd5s[0] as Buffer).toString('hex');
        return `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
      } finally {
        await fh.close();
      }
    },

    async uploadText(text, to, contentType) {
      return put(to, text, contentType);
    },

    async uploadFile(path, to) {
      const { size } = await stat(path);
      const fh = await open(path, 'r');
      try {
        if (size <= PART) {
          const buf = Buffer.alloc(size);
          await fh.read(buf, 0, size, 0);
          return await put(to, buf, 'text/csv');
        }
        const ctx = { ...base, action: 's3:PutObject', bucket: to.bucket, key: to.key };
        const created = await call(ctx, () =>
          aws.s3.send(
            new sdk.s3.CreateMultipartUploadCommand({
              Bucket: to.bucket,
              Key: to.key,
              ContentType: 'text/csv',
              ServerSideEncryption: 'AES256',
            }),
          ),
        );
        const uploadId = created.UploadId ?? '';
        try {
          const parts: { ETag: string; PartNumber: number }[] = [];
          const buf = Buffer.alloc(PART);
          for (let offset = 0, n = 1; offset < size; offset += PART, n++) {
            const len = Math.min(PART, size - offset);
            await fh.read(buf, 0, len, offset);
            const out = await call(ctx, () =>
              aws.s3.send(
                new sdk.s3.UploadPartCommand({
                  Bucket: to.bucket,
                  Key: to.key,
                  UploadId: uploadId,
                  PartNumber: n,
                  Body: buf.subarray(0, len),
                }),
              ),
            );
            parts.push({ ETag: out.ETag ?? '', PartNumber: n });
          }
          const done = await call(ctx, () =>
            aws.s3.send(
              new sdk.s3.CompleteMultipartUploadCommand({
                Bucket: to.bucket,
                Key: to.key,
                UploadId: uploadId,
                MultipartUpload: { Parts: parts },
              }),
            ),
          );
          return unquote(done.ETag);
        } catch (err) {
          // A dangling upload costs storage until a lifecycle rule removes it.
          try {
            await aws.s3.send(
              new sdk.s3.AbortMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId: uploadId }),
            );
          } catch {
            // The upload's own error is the one worth reporting.
          }
          throw err;
        }
      } finally {
        await fh.close();
      }
    },
  };
}
