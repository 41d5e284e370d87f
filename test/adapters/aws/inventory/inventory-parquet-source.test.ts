// The S3 side of a Parquet data file at the SDK boundary (aws-sdk-client-mock): the footer's
// ranged GETs, and the answers a real S3 gives that moto does not (416 on an empty object).
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { s3ParquetSource } from '../../../../src/adapters/aws/inventory/inventory-parquet-source.js';

const s3 = mockClient(S3Client);
const aws = () => makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
const signal = new AbortController().signal;
const body = (b: Buffer) =>
  Object.assign(Readable.from([b]), { transformToByteArray: async () => new Uint8Array(b) }) as never;
const fail = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

afterEach(() => s3.reset());

describe('s3ParquetSource', () => {
  it('reads the tail with a suffix range and the length from Content-Range', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('PAR1')), ContentRange: 'bytes 96-99/100' });
    const t = await s3ParquetSource(aws(), 'dest', 'k.parquet').tail(4, signal);
    expect(t.length).toBe(100);
    expect(Buffer.from(t.bytes).toString()).toBe('PAR1');
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({ Range: 'bytes=-4' });
  });

  it('a store that ignores Range: the length is the body length, the tail its last bytes', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('0123456789')) });
    const t = await s3ParquetSource(aws(), 'dest', 'k.parquet').tail(4, signal);
    expect(t.length).toBe(10);
    expect(Buffer.from(t.bytes).toString()).toBe('6789');
  });

  it('an empty object (S3 answers a suffix range 416 InvalidRange) has length 0, for the size check to name', async () => {
    s3.on(GetObjectCommand).rejects(fail('InvalidRange', 416));
    expect(await s3ParquetSource(aws(), 'dest', 'k.parquet').tail(65536, signal)).toEqual({
      bytes: new Uint8Array(0),
      length: 0,
    });
  });

  it('a missing data file is the delivery being incomplete (exit 3)', async () => {
    s3.on(GetObjectCommand).rejects(fail('NoSuchKey', 404));
    await expect(s3ParquetSource(aws(), 'dest', 'inv/k.parquet').tail(4, signal)).rejects.toMatchObject({
      exitCode: 3,
      message: 'data file s3://dest/inv/k.parquet named by manifest.json does not exist',
    });
  });

  it('a short ranged read is refused', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('ab')) });
    await expect(s3ParquetSource(aws(), 'dest', 'k.parquet').range(0, 10, signal)).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/asked for 10 bytes at 0, got 2/),
    });
  });
});
