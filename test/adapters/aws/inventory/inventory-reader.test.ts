// The S3 side of build-manifest at the SDK boundary (aws-sdk-client-mock): finding the delivery,
// the S3 Select engine (moto's Select is unreliable, and AWS closed it to new accounts), uploads.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  SelectObjectContentCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { s3DeliveryReader } from '../../../../src/adapters/aws/inventory/inventory-reader.js';
import { selectProjection } from '../../../../src/adapters/aws/inventory/inventory-select.js';
import { manifestUploader } from '../../../../src/adapters/aws/inventory/inventory-upload.js';
import { analyzeInventory } from '../../../../src/core/inventory/analyze.js';
import { columnsFromSchema } from '../../../../src/core/inventory/columns.js';
import { record, renderDelivery, type RenderedDelivery } from '../../../int/support/inventory-delivery.js';

const s3 = mockClient(S3Client);
const aws = () => makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
const LOC = { bucket: 'dest', prefix: 'inv', sourceBucket: 'src', id: 'cfg' };

const RECORDS = [
  record('src', 'a b+c', { Size: '3' }),
  record('src', 'quote"comma,', { EncryptionStatus: 'SSE-S3', VersionId: 'v1' }),
  record('src', 'ok', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' }),
  record('src', 'ia', { StorageClass: 'STANDARD_IA' }),
  record('src', 'old', { IsLatest: 'false', VersionId: 'o' }),
  record('src', 'arch', { StorageClass: 'GLACIER' }),
];

function serve(deliveries: RenderedDelivery[]): void {
  const objects = new Map<string, Buffer>();
  for (const d of deliveries) for (const [k, v] of d.objects) objects.set(k, v);
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string; Delimiter?: string }) => {
    const keys = [...objects.keys()].filter((k) => k.startsWith(input.Prefix));
    if (input.Delimiter) {
      const prefixes = [...new Set(keys.map((k) => k.slice(input.Prefix.length).split('/')[0]))].map((p) => ({
        Prefix: `${input.Prefix}${p}/`,
      }));
      return { CommonPrefixes: prefixes, IsTruncated: false };
    }
    return { Contents: keys.map((Key) => ({ Key })), IsTruncated: false };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = objects.get(input.Key);
    if (!body)
      throw new S3ServiceException({
        name: 'NoSuchKey',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'no',
      });
    const stream = Readable.from([body]) as Readable & { transformToByteArray?: () => Promise<Uint8Array> };
    stream.transformToByteArray = async () => new Uint8Array(body);
    return { Body: stream };
  });
}

beforeEach(() => s3.reset());

describe('s3DeliveryReader', () => {
  it('takes the newest folder that has both manifest.json and manifest.checksum', async () => {
    const older = renderDelivery([record('src', 'from-older')], {
      ...LOC,
      sourceBucket: 'src',
      destinationBucket: 'dest',
      folder: '2026-05-01T00-00Z',
    });
    const newer = renderDelivery(RECORDS, {
      ...LOC,
      destinationBucket: 'dest',
      folder: '2026-05-02T00-00Z',
      files: 2,
    });
    const incomplete = renderDelivery(RECORDS, {
      ...LOC,
      destinationBucket: 'dest',
      folder: '2026-05-03T00-00Z',
      omit: 'manifest.checksum',
    });
    serve([older, newer, incomplete]);
    const a = await analyzeInventory(s3DeliveryReader(aws(), LOC, 'local'), { bucket: 'src' });
    expect(a.delivery).toEqual({
      manifest: 's3://dest/inv/src/cfg/2026-05-02T00-00Z/manifest.json',
      date: '2026-05-02T00-00Z',
      creationTimestamp: String(Date.parse('2026-05-02T00:00Z')),
      files: 2,
      engine: 'local',
    });
    expect(a.rows).toBe(6);
    expect(a.groups).toEqual({
      'copy-STANDARD': { objects: 1, bytes: 3 },
      'copy-STANDARD_IA': { objects: 1, bytes: 10 },
      'update-encryption': { objects: 1, bytes: 10 },
      archived: { objects: 1, bytes: 10 },
    });
    expect(a.leftAlone.compliant).toEqual({ objects: 1, bytes: 10 });
  });

  it('says that deliveries take up to 48 h when there is none', async () => {
    serve([
      renderDelivery(RECORDS, {
        ...LOC,
        destinationBucket: 'dest',
        folder: '2026-05-03T00-00Z',
        omit: 'manifest.checksum',
      }),
    ]);
    await expect(s3DeliveryReader(aws(), LOC, 'local').open('latest')).rejects.toMatchObject({
      code: 'NoInventoryDelivery',
      exitCode: 3,
      message:
        'no complete inventory delivery under s3://dest/inv/src/cfg/ (2026-05-03T00-00Z lack manifest.json or manifest.checksum)',
      hint: expect.stringContaining('up to 48 hours after setup-inventory'),
    });
  });

  it('a data file named by the manifest but missing is a clear error', async () => {
    const d = renderDelivery(RECORDS, { ...LOC, destinationBucket: 'dest', folder: '2026-05-02T00-00Z' });
    d.objects.delete(d.dataKeys[0] ?? '');
    serve([d]);
    await expect(analyzeInventory(s3DeliveryReader(aws(), LOC, 'local'), { bucket: 'src' })).rejects.toThrow(
      /data file s3:\/\/dest\/.*\.csv\.gz named by manifest.json does not exist/,
    );
  });
});

describe('S3 Select engine', () => {
  const fields = [
    'Bucket',
    'Key',
    'VersionId',
    'IsLatest',
    'IsDeleteMarker',
    'Size',
    'LastModifiedDate',
    'StorageClass',
    'EncryptionStatus',
    'BucketKeyStatus',
  ];
  const layout = columnsFromSchema(fields.join(', '), 'm');

  it('projects the used columns by position, in USED_COLUMNS order', () => {
    expect(selectProjection(layout).sql).toBe(
      'SELECT s._1, s._2, s._3, s._4, s._5, s._6, s._8, s._9, s._10 FROM S3Object s',
    );
  });

  /** What S3 Select would return for a delivery: the projected columns, every field quoted. */
  function selectOutput(d: RenderedDelivery): string {
    return (
      d.records
        .map((r) =>
          [
            'Bucket',
            'Key',
            'VersionId',
            'IsLatest',
            'IsDeleteMarker',
            'Size',
            'StorageClass',
            'EncryptionStatus',
            'BucketKeyStatus',
          ]
            .map((f) => {
              const v = f === 'Key' ? encodeURIComponent(r[f] ?? '').replace(/%20/g, '+') : (r[f] ?? '');
              return `"${v.replace(/"/g, '""')}"`;
            })
            .join(','),
        )
        .join('\n') + '\n'
    );
  }

  async function* events(text: string, cut: number, end = true) {
    for (let i = 0; i < text.length; i += cut)
      yield { Records: { Payload: new TextEncoder().encode(text.slice(i, i + cut)) } };
    yield { Stats: { Details: {} } };
    if (end) yield { End: {} };
  }

  it('gives the same analysis as the local engine, records split anywhere', async () => {
    const d = renderDelivery(RECORDS, {
      ...LOC,
      destinationBucket: 'dest',
      folder: '2026-05-02T00-00Z',
      fields,
    });
    serve([d]);
    const local = await analyzeInventory(s3DeliveryReader(aws(), LOC, 'local'), { bucket: 'src' });
    s3.on(SelectObjectContentCommand).callsFake(() => ({ Payload: events(selectOutput(d), 7) }));
    const viaSelect = await analyzeInventory(s3DeliveryReader(aws(), LOC, 'select'), { bucket: 'src' });
    expect({ ...viaSelect, delivery: { ...viaSelect.delivery, engine: 'local' } }).toEqual(local);
    const call = s3.commandCalls(SelectObjectContentCommand)[0]?.args[0].input;
    expect(call).toMatchObject({
      Bucket: 'dest',
      Key: d.dataKeys[0],
      ExpressionType: 'SQL',
      InputSerialization: { CompressionType: 'GZIP', CSV: { FileHeaderInfo: 'NONE', QuoteCharacter: '"' } },
      OutputSerialization: { CSV: { QuoteFields: 'ALWAYS' } },
    });
  });

  it.each([
    ['MethodNotAllowed', 405, /^drop --engine select \(it answered HTTP 405 MethodNotAllowed/],
    ['NotImplemented', 501, /^drop --engine select \(it answered HTTP 501 NotImplemented/],
    ['AccessDenied', 403, /S3 Select is closed to accounts .*drop --engine select/],
  ])('a refused Select (%s) says to use the default engine', async (name, status, hint) => {
    serve([renderDelivery(RECORDS, { ...LOC, destinationBucket: 'dest', folder: '2026-05-02T00-00Z' })]);
    s3.on(SelectObjectContentCommand).rejects(
      new S3ServiceException({
        name,
        $fault: 'client',
        $metadata: { httpStatusCode: status },
        message: name,
      }),
    );
    await expect(
      analyzeInventory(s3DeliveryReader(aws(), LOC, 'select'), { bucket: 'src' }),
    ).rejects.toMatchObject({
      code: 'SelectUnavailable',
      exitCode: 3,
      hint: expect.stringMatching(hint),
    });
  });

  it('a result stream without End is an error, not a short manifest', async () => {
    const d = renderDelivery(RECORDS, {
      ...LOC,
      destinationBucket: 'dest',
      folder: '2026-05-02T00-00Z',
      fields,
    });
    serve([d]);
    s3.on(SelectObjectContentCommand).callsFake(() => ({ Payload: events(selectOutput(d), 50, false) }));
    await expect(analyzeInventory(s3DeliveryReader(aws(), LOC, 'select'), { bucket: 'src' })).rejects.toThrow(
      /this endpoint cannot run S3 Select/,
    );
  });
});

describe('manifestUploader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3e-up-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('uploads with SSE-S3 (Batch cannot read SSE-KMS manifests) and strips the ETag quotes', async () => {
    await writeFile(join(dir, 'm.csv'), 'b,k\n');
    s3.on(PutObjectCommand).resolves({ ETag: '"3858f62230ac3c915f300c664312c11f"' });
    const etag = await manifestUploader(aws()).uploadFile(join(dir, 'm.csv'), {
      bucket: 'dest',
      key: 'p/m.csv',
    });
    expect(etag).toBe('3858f62230ac3c915f300c664312c11f');
    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'dest',
      Key: 'p/m.csv',
      ServerSideEncryption: 'AES256',
      ContentType: 'text/csv',
    });
    expect(Buffer.from(input?.Body as Buffer).toString()).toBe('b,k\n');
  });

  it('uploads big manifests in parts, SSE-S3 too, and aborts the upload on failure', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 'a');
    await writeFile(join(dir, 'big.csv'), big);
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).callsFake((i: { PartNumber: number }) => ({ ETag: `"p${i.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({ ETag: '"abc-2"' });
    expect(
      await manifestUploader(aws()).uploadFile(join(dir, 'big.csv'), { bucket: 'dest', key: 'big.csv' }),
    ).toBe('abc-2');
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input.ServerSideEncryption).toBe(
      'AES256',
    );
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => [p.PartNumber, (p.Body as Buffer).length])).toEqual([
      [1, 16 * 1024 * 1024],
      [2, 1024 * 1024],
    ]);
    expect(
      createHash('md5')
        .update(Buffer.concat(parts.map((p) => Buffer.from(p.Body as Buffer))))
        .digest('hex'),
    ).toBe(createHash('md5').update(big).digest('hex'));

    s3.reset();
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u2' });
    s3.on(UploadPartCommand).rejects(
      new S3ServiceException({
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        message: 'boom',
      }),
    );
    await expect(
      manifestUploader(aws()).uploadFile(join(dir, 'big.csv'), { bucket: 'dest', key: 'big.csv' }),
    ).rejects.toThrow(/s3:PutObject on s3:\/\/dest\/big.csv failed with InternalError/);
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toMatchObject({ UploadId: 'u2' });
  });
});
