// Seeds the demo: a KMS key with an alias, and a bucket of a few hundred objects written the way
// production buckets look before migration: unencrypted (pre-2023) and SSE-S3 (S3's default since),
// with the awkward keys real buckets have. Prints shell assignments for demo.sh.
import { CreateAliasCommand, CreateKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

const [endpoint, bucket, alias] = process.argv.slice(2);
const common = {
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};
const s3 = new S3Client({ ...common, forcePathStyle: true });
const kms = new KMSClient(common);

const aliases = await kms.send(new ListAliasesCommand({}));
let keyId = aliases.Aliases?.find((a) => a.AliasName === alias)?.TargetKeyId;
if (!keyId) {
  keyId = (await kms.send(new CreateKeyCommand({ Description: 's3-encrypt demo key' }))).KeyMetadata.KeyId;
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
}

await s3.send(new CreateBucketCommand({ Bucket: bucket }));
// Inventory reports and Batch manifests live in a bucket of their own, as AWS recommends.
await s3.send(new CreateBucketCommand({ Bucket: `${bucket}-inv` }));
await s3.send(
  new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
);

const odd = [
  'reports/2019/q1 summary.pdf',
  'a+b=c.txt',
  '100% done.csv',
  'ünïcödé/日本語.txt',
  'deep/' + 'level/'.repeat(12) + 'leaf.bin',
  'tab\there',
  'quote"and,comma.txt',
];
const keys = [...odd];
for (let i = 0; keys.length < 300; i++) keys.push(`data/${String(i % 17).padStart(2, '0')}/object-${i}.json`);

let plain = 0;
let sseS3 = 0;
const classes = ['STANDARD', 'STANDARD', 'STANDARD', 'STANDARD_IA'];
await Promise.all(
  Array.from({ length: 8 }, async (_, w) => {
    for (let i = w; i < keys.length; i += 8) {
      const legacy = i % 2 === 0;
      if (legacy) plain++;
      else sseS3++;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keys[i],
          Body: JSON.stringify({ i, key: keys[i] }),
          ContentType: 'application/json',
          StorageClass: classes[Math.floor(i / 2) % classes.length],
          Metadata: { origin: 'demo' },
          ...(legacy ? {} : { ServerSideEncryption: 'AES256' }),
        }),
      );
    }
  }),
);
console.log(`DEMO_OBJECTS=${keys.length} DEMO_PLAIN=${plain} DEMO_SSE_S3=${sseS3}`);
