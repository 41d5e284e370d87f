// The S3 Select engine's reading of an answer, at the SDK boundary (aws-sdk-client-mock). No local
// store runs AWS's Select (test/int/inventory/select-engine.*.test.ts), so `awsSelect` below plays
// S3 from the request itself: it reads the object with the request's CompressionType, parses it
// as CSV, projects the `s._N` columns the Expression names and quotes every output field, as the
// SelectObjectContent documentation describes. The manifests built through it must be byte for
// byte the local engine's. The rest are answers that show an endpoint cannot run S3 Select.
import { parse } from 'csv-parse/sync';
import { gunzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  SelectObjectContentCommand,
  type SelectObjectContentCommandInput,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { s3DeliveryReader } from '../../../../src/adapters/aws/inventory/inventory-reader.js';
import { selectCompression } from '../../../../src/adapters/aws/inventory/inventory-select.js';
import { buildManifests } from '../../../../src/core/inventory/build-manifests.js';
import type { ManifestWriter } from '../../../../src/core/inventory/ports.js';
import { analyzeInventory } from '../../../../src/core/inventory/analyze.js';
import {
  ALL_FIELDS,
  record,
  renderDelivery,
  type RenderedDelivery,
} from '../../../int/support/inventory-delivery.js';
import { uncompressedCopy } from '../../../int/support/uncompressed-delivery.js';

const s3 = mockClient(S3Client);
const aws = () => makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
const LOC = { bucket: 'dest', prefix: 'inv', sourceBucket: 'src', id: 'cfg' };
const ODD = [
  'with space',
  'comma,separated',
  "quote\"d 'single'",
  'plus+sign',
  '100%25 and %',
  'ünïcødé/日本語/😀',
  'tab\there',
  'a/b//c/',
  '~tilde*star(1)!',
  'new\nline',
];
const RECORDS = [
  ...ODD.map((k) => record('src', `odd/${k}`)),
  record('src', 'kms/bk', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' }),
  record('src', 'kms/no-bk', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'DISABLED', VersionId: 'v1' }),
  record('src', 'sse-s3', { EncryptionStatus: 'SSE-S3', VersionId: 'v"2,' }),
  record('src', 'ia', { StorageClass: 'STANDARD_IA' }),
  record('src', 'glacier', { StorageClass: 'GLACIER' }),
  record('src', 'big', { Size: String(6 * 1024 ** 3) }),
  record('src', 'old', { IsLatest: 'false', VersionId: 'o1' }),
  record('src', 'gone', { IsDeleteMarker: 'true', VersionId: 'd1' }),
];

function serveFiles(d: RenderedDelivery): Map<string, Buffer> {
  const objects = new Map(d.objects);
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
      });
    const stream = Readable.from([body]) as Readable & { transformToByteArray?: () => Promise<Uint8Array> };
    stream.transformToByteArray = async () => new Uint8Array(body);
    return { Body: stream };
  });
  return objects;
}

async function* events(text: string, cut: number, end = true) {
  // Cut in bytes, so multi-byte characters straddle Records events as they may on the wire.
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += cut)
    yield { Records: { Payload: new Uint8Array(bytes.subarray(i, i + cut)) } };
  yield { Stats: { Details: { BytesScanned: bytes.length } } };
  if (end) yield { End: {} };
}

/** S3 Select as AWS documents it, for the one query form the engine sends. */
function awsSelect(objects: Map<string, Buffer>) {
  return (input: SelectObjectContentCommandInput) => {
    expect(input.Expression).toMatch(/^SELECT s\._\d+(, s\._\d+)* FROM S3Object s$/);
    expect(input.InputSerialization?.CSV).toMatchObject({ FileHeaderInfo: 'NONE', QuoteCharacter: '"' });
    expect(input.OutputSerialization?.CSV).toMatchObject({
      QuoteFields: 'ALWAYS',
      QuoteEscapeCharacter: '"',
    });
    const stored = objects.get(input.Key ?? '') ?? Buffer.alloc(0);
    const text = (
      input.InputSerialization?.CompressionType === 'GZIP' ? gunzipSync(stored) : stored
    ).toString('utf8');
    const positions = [...(input.Expression ?? '').matchAll(/s\._(\d+)/g)].map((m) => Number(m[1]) - 1);
    const rows = parse(text, { record_delimiter: '\n' }) as string[][];
    const out = rows
      .map((r) => positions.map((p) => `"${(r[p] ?? '').replace(/"/g, '""')}"`).join(',') + '\n')
      .join('');
    return { Payload: events(out, 7) };
  };
}

/** build-manifest's core with an in-memory writer: manifest name -> bytes, plus summary.json. */
async function manifests(engine: 'local' | 'select'): Promise<Record<string, string>> {
  const parts = new Map<string, Map<number, string>>();
  const files: Record<string, string> = {};
  const append = (name: string, text: string, part: number): void => {
    const m = parts.get(name) ?? new Map<number, string>();
    m.set(part, (m.get(part) ?? '') + text);
    parts.set(name, m);
  };
  const writer: ManifestWriter = {
    open: async () => {},
    append,
    appendBytes: (name, bytes, start, end, part) =>
      append(name, Buffer.from(bytes.subarray(start, end)).toString('latin1'), part),
    endPart: async () => {},
    ready: () => undefined,
    finish: async () => new Map(),
    writeFile: async (name, text) => {
      files[name] = text;
      return name;
    },
    cleanup: async () => {},
  };
  await buildManifests(s3DeliveryReader(aws(), LOC, engine), writer, {
    bucket: 'src',
    kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/k',
    date: 'latest',
    concurrency: 2,
    dryRun: false,
    destination: { kind: 'local' },
    now: () => new Date(0),
  });
  for (const [name, m] of parts)
    files[name] = [...m.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, t]) => t)
      .join('');
  return files;
}

const deliver = (fields?: readonly string[]) =>
  renderDelivery(RECORDS, {
    ...LOC,
    destinationBucket: 'dest',
    folder: '2026-05-02T00-00Z',
    files: 3,
    fields,
  });

beforeEach(() => s3.reset());

describe("S3 Select engine: the rows AWS would return make the local engine's manifests", () => {
  it.each([
    ['the default fields', undefined],
    ['every field, in another order', [...ALL_FIELDS].reverse()],
  ])('a GZIP delivery, %s, odd keys included', async (_what, fields) => {
    const objects = serveFiles(deliver(fields));
    s3.on(SelectObjectContentCommand).callsFake(awsSelect(objects));
    const local = await manifests('local');
    const viaSelect = await manifests('select');
    expect(Object.keys(viaSelect).sort()).toEqual(Object.keys(local).sort());
    for (const name of Object.keys(local))
      if (name !== 'summary.json') expect(viaSelect[name], name).toBe(local[name]);
    expect(local['copy-STANDARD']?.split('\n').filter(Boolean)).toHaveLength(ODD.length);
    const calls = s3.commandCalls(SelectObjectContentCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.InputSerialization?.CompressionType === 'GZIP')).toBe(true);
  });

  it('an uncompressed copy is asked with CompressionType NONE and gives the same manifests', async () => {
    const gz = deliver();
    serveFiles(gz);
    const local = await manifests('local');
    s3.reset();
    const objects = serveFiles(uncompressedCopy(gz));
    s3.on(SelectObjectContentCommand).callsFake(awsSelect(objects));
    const viaSelect = await manifests('select');
    for (const name of Object.keys(local))
      if (name !== 'summary.json') expect(viaSelect[name], name).toBe(local[name]);
    const calls = s3.commandCalls(SelectObjectContentCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.InputSerialization?.CompressionType)).toEqual(['NONE', 'NONE', 'NONE']);
  });

  it('GZIP for the .csv.gz S3 writes, NONE only for a file named without .gz', () => {
    expect(selectCompression('inv/src/cfg/data/0b1c.csv.gz')).toBe('GZIP');
    expect(selectCompression('inv/src/cfg/data/0b1c.csv')).toBe('NONE');
  });
});

describe('S3 Select engine: answers that show the endpoint cannot run it (exit 3, one line)', () => {
  const run = () => analyzeInventory(s3DeliveryReader(aws(), LOC, 'select'), { bucket: 'src' });
  const cannot = (reason: RegExp) => ({
    code: 'SelectUnavailable',
    exitCode: 3,
    message: 'this endpoint cannot run S3 Select',
    hint: expect.stringMatching(reason),
  });

  it("Ceph RGW 16.2's answer to AWS's SQL: its parse failure in XML as the records, no End", async () => {
    serveFiles(deliver());
    s3.on(SelectObjectContentCommand).callsFake(() => ({
      Payload: events(
        '\n<Payload>\n<Records>\n<Payload>\nfailure -->SELECT s._1, s._2 FROM S3Object s<---\n</Payload></Records></Payload>',
        4096,
        false,
      ),
    }));
    await expect(run()).rejects.toMatchObject(
      cannot(
        /^drop --engine select \(its answer is not the quoted CSV asked for; it begins "<Payload> <Records> <Payload> failure -->SELECT s\._1, s\._2 FROM S3Object s<---/,
      ),
    );
  });

  it('quoted rows of the wrong width (a store that ignored the projection)', async () => {
    serveFiles(deliver());
    s3.on(SelectObjectContentCommand).callsFake(() => ({ Payload: events('"src","a","b"\n', 64) }));
    await expect(run()).rejects.toMatchObject(
      cannot(/its answer is not the quoted CSV asked for; it begins "\\?"src\\?"/),
    );
  });

  it('rows but no End event: never a short manifest', async () => {
    const objects = serveFiles(deliver());
    const full = awsSelect(objects);
    s3.on(SelectObjectContentCommand).callsFake(async (input: SelectObjectContentCommandInput) => {
      const rows: Uint8Array[] = [];
      for await (const e of full(input).Payload)
        if ('Records' in e && e.Records) rows.push(e.Records.Payload);
      return {
        Payload: (async function* () {
          for (const p of rows) yield { Records: { Payload: p } };
        })(),
      };
    });
    await expect(run()).rejects.toMatchObject(cannot(/its answer ended without the End event/));
  });

  it('an End with no rows from a non-empty data file (a store that read nothing): never an empty manifest', async () => {
    serveFiles(deliver());
    s3.on(SelectObjectContentCommand).callsFake(() => ({
      Payload: (async function* () {
        yield { Stats: { Details: { BytesScanned: 0, BytesProcessed: 0, BytesReturned: 0 } } };
        yield { End: {} };
      })(),
    }));
    await expect(run()).rejects.toMatchObject(cannot(/it returned no rows from a data file of \d+ bytes/));
  });

  it('events after End', async () => {
    serveFiles(deliver());
    s3.on(SelectObjectContentCommand).callsFake(() => ({
      Payload: (async function* () {
        yield { End: {} };
        yield { Records: { Payload: new TextEncoder().encode('"src"\n') } };
      })(),
    }));
    await expect(run()).rejects.toMatchObject(cannot(/its answer goes on after its End event/));
  });

  it('bytes that are not UTF-8 (never U+FFFD in a key)', async () => {
    const objects = serveFiles(deliver());
    s3.on(SelectObjectContentCommand).callsFake(async (input: SelectObjectContentCommandInput) => {
      const good = awsSelect(objects)(input);
      return {
        Payload: (async function* () {
          yield { Records: { Payload: new Uint8Array([0x22, 0xff, 0xfe, 0x22, 0x0a]) } };
          yield* good.Payload;
        })(),
      };
    });
    await expect(run()).rejects.toMatchObject(cannot(/its answer is not UTF-8 text/));
  });

  it('an error event in the middle of the stream', async () => {
    serveFiles(deliver());
    s3.on(SelectObjectContentCommand).callsFake(() => ({
      Payload: (async function* () {
        yield { Records: { Payload: new TextEncoder().encode('"src","odd%2Fx"') } };
        const e = new Error('Encountered an error parsing the CSV file');
        e.name = 'CSVParsingError';
        throw e;
      })(),
    }));
    await expect(run()).rejects.toMatchObject(
      cannot(/its event stream failed: CSVParsingError: Encountered an error parsing the CSV file/),
    );
  });

  it('a row the classifier refuses stays a verdict on the delivery, not on the endpoint', async () => {
    const objects = serveFiles(
      renderDelivery([record('another-bucket', 'x')], {
        ...LOC,
        destinationBucket: 'dest',
        folder: '2026-05-02T00-00Z',
      }),
    );
    s3.on(SelectObjectContentCommand).callsFake(awsSelect(objects));
    await expect(run()).rejects.toMatchObject({ code: 'ForeignInventoryRow', exitCode: 3 });
  });
});
