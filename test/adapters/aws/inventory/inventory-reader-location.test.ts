// --inventory and --id as a tired operator types them (create-job --inventory, build-manifest,
// verify --inventory): nothing under PREFIX/SOURCE/ID/ used to say "S3 delivers the first report
// up to 48 hours after setup-inventory ... try again later" even when the id differed only in
// case, or --inventory already ended in the source bucket (and id). The line now names the fix.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { s3DeliveryReader } from '../../../../src/adapters/aws/inventory/inventory-reader.js';
import type { S3EncryptError } from '../../../../src/core/errors.js';

const s3 = mockClient(S3Client);
afterAll(() => s3.restore());
const aws = () => makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
const DELIVERED = [
  'inv/src/Cfg/2026-05-03T00-00Z/manifest.json',
  'inv/src/Cfg/2026-05-03T00-00Z/manifest.checksum',
  'inv/src/Cfg/data/a.csv.gz',
];

function serve(keys: string[]): void {
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string; Delimiter?: string }) => {
    const under = keys.filter((k) => k.startsWith(input.Prefix));
    if (input.Delimiter)
      return {
        CommonPrefixes: [...new Set(under.map((k) => k.slice(input.Prefix.length).split('/')[0]))].map(
          (p) => ({
            Prefix: `${input.Prefix}${p}/`,
          }),
        ),
        IsTruncated: false,
      };
    return { Contents: under.map((Key) => ({ Key })), IsTruncated: false };
  });
}

async function refusal(prefix: string, id: string): Promise<S3EncryptError> {
  const reader = s3DeliveryReader(aws(), { bucket: 'dest', prefix, sourceBucket: 'src', id }, 'local');
  return (await reader.open('latest').catch((e: unknown) => e)) as S3EncryptError;
}

beforeEach(() => {
  s3.reset();
  serve(DELIVERED);
});

describe('no delivery under PREFIX/SOURCE/ID/: what is next to it decides the fix', () => {
  it('an --id that differs in case: pass the id that delivers there', async () => {
    const err = await refusal('inv', 'cfg');
    expect(err).toMatchObject({ code: 'NoInventoryDelivery', exitCode: 3 });
    expect(err.oneLine()).toBe(
      'no inventory configuration "cfg" has delivered under s3://dest/inv/src/ (found: Cfg): pass --id Cfg (inventory ids are case-sensitive)',
    );
  });

  it('another --id: names the ids there, and the 48-hour wait a new configuration may still be in', async () => {
    const err = await refusal('inv', 'nightly');
    expect(err.oneLine()).toBe(
      'no inventory configuration "nightly" has delivered under s3://dest/inv/src/ (found: Cfg): pass one of them with --id; if "nightly" was set up less than 48 hours ago, try again later',
    );
  });

  it.each(['inv/src/Cfg', 'inv/src'])(
    '--inventory s3://dest/%s (ends in the source bucket): pass s3://dest/inv',
    async (prefix) => {
      const err = await refusal(prefix, 'Cfg');
      expect(err).toMatchObject({ code: 'NoInventoryDelivery', exitCode: 3 });
      expect(err.oneLine()).toMatch(
        /--inventory already ends in the source bucket, which S3 adds after the destination prefix itself: pass the destination prefix given to setup-inventory: --inventory s3:\/\/dest\/inv$/,
      );
    },
  );

  it('a prefix that only looks doubled, with no delivery at the shorter one: still the wait', async () => {
    serve([]);
    const err = await refusal('inv/src', 'Cfg');
    expect(err.oneLine()).toMatch(/up to 48 hours after setup-inventory/);
    expect(err.oneLine()).not.toMatch(/already ends/);
  });

  it('nothing there at all: still the wait (a new configuration)', async () => {
    serve([]);
    const err = await refusal('inv', 'cfg');
    expect(err.oneLine()).toMatch(
      /^no complete inventory delivery under s3:\/\/dest\/inv\/src\/cfg\/: S3 delivers the first report up to 48 hours/,
    );
  });
});
