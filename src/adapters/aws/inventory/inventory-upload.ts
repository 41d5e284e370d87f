import type { ManifestUploader, S3Location } from '../../../core/inventory/ports.js';
import { fileParts, fileSize, uploadEtagOf } from '../../fs/file-parts.js';
import type { AwsClients } from '../transport/clients.js';
import { call } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

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
    etagOf: (path) => uploadEtagOf(path, PART),

    async uploadText(text, to, contentType) {
      return put(to, text, contentType);
    },

    async uploadFile(path, to) {
      if ((await fileSize(path)) <= PART) {
        for await (const part of fileParts(path, PART)) return put(to, Buffer.from(part), 'text/csv');
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
        let n = 0;
        for await (const part of fileParts(path, PART)) {
          n++;
          const out = await call(ctx, () =>
            aws.s3.send(
              new sdk.s3.UploadPartCommand({
                Bucket: to.bucket,
                Key: to.key,
                UploadId: uploadId,
                PartNumber: n,
                Body: part,
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
    },
  };
}
