#!/usr/bin/env node
// Where verify's CPU goes: the same ListObjectsV2 + HeadObject loop (concurrency 16) through four
// request paths, each in its own process, rounds rotated, on one seeded bucket (moto or RGW):
//   sdk          S3Client + HeadObjectCommand, as src/adapters/aws/object-reader.ts before the change
//   sdk-cached   the same with cacheMiddleware: true (src/adapters/aws/clients.ts now)
//   sdk-lean     the SDK's SignatureV4 + NodeHttpHandler called directly, no command stack
//   raw          bench/lib/sigv4-client.mjs
// Prints CPU ms per HEAD (user+sys of the process, from process.cpuUsage) and objects/s.
//   node bench/verify/head-paths.mjs [--n 5000] [--rounds 3] [--server moto|rgw]
import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { benchBucket, createMotoKey, dropBucket, rawClient, seedBucket } from '../lib/buckets.mjs';
import { median } from '../lib/measure.mjs';
import { EMPTY_SHA256, objectPath, RawS3Client, runPool } from '../lib/sigv4-client.mjs';
import { childEnv, target } from '../lib/targets.mjs';

const VARIANTS = ['sdk', 'sdk-cached', 'sdk-lean', 'raw'];
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    variant: { type: 'string' },
    bucket: { type: 'string' },
    server: { type: 'string', default: 'moto' },
  },
});

class NodeSha256 {
  constructor(secret) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(d) {
    this.h.update(d);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

/** Child mode: one variant over the bucket; prints {n, ms, cpuMs}. */
async function child(variant, bucket) {
  const t = target(values.server);
  const credentials = { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey };
  const raw = new RawS3Client({ ...t, maxSockets: 16 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n;
  if (variant === 'raw') {
    n = await runPool(raw.list(bucket), 16, (o) => raw.head(bucket, o.key));
  } else if (variant === 'sdk-lean') {
    const signer = new SignatureV4({
      service: 's3',
      region: t.region,
      credentials,
      sha256: NodeSha256,
      uriEscapePath: false,
      applyChecksum: true,
    });
    const handler = new NodeHttpHandler({ httpAgent: { keepAlive: true, maxSockets: 16 } });
    const u = new URL(t.endpoint);
    // Listing through the raw client: only the HEADs are the variant under test.
    n = await runPool(raw.list(bucket), 16, async (o) => {
      const req = await signer.sign({
        method: 'HEAD',
        protocol: u.protocol,
        hostname: u.hostname,
        port: Number(u.port),
        path: objectPath(bucket, o.key),
        query: {},
        headers: { host: u.host, 'x-amz-content-sha256': EMPTY_SHA256 },
      });
      const { response } = await handler.handle(req);
      response.body?.resume?.();
      if (response.statusCode !== 200) throw new Error(`HEAD ${o.key}: ${response.statusCode}`);
    });
    handler.destroy();
  } else {
    const s3 = new S3Client({
      region: t.region,
      endpoint: t.endpoint,
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      cacheMiddleware: variant === 'sdk-cached',
    });
    async function* list() {
      let token;
      do {
        const p = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        yield* p.Contents ?? [];
        token = p.IsTruncated ? p.NextContinuationToken : undefined;
      } while (token);
    }
    n = await runPool(list(), 16, (o) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: o.Key })));
    s3.destroy();
  }
  const cpu = process.cpuUsage(c0);
  raw.close();
  console.log(JSON.stringify({ n, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }));
}

async function main() {
  const N = Number(values.n);
  const R = Number(values.rounds);
  const t = target(values.server);
  const client = rawClient(t);
  const key = t.tier === 'moto' ? await createMotoKey(t) : t.kmsKeyIds[0];
  const bucket = benchBucket('bench-head-paths');
  await seedBucket(client, bucket, N, { kmsKeyId: key });
  const res = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  try {
    for (let r = 0; r < R; r++) {
      const order = [...VARIANTS.slice(r % 4), ...VARIANTS.slice(0, r % 4)];
      for (const v of order) {
        const p = spawnSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--server', t.tier, '--variant', v, '--bucket', bucket],
          {
            env: childEnv(t),
            encoding: 'utf8',
          },
        );
        if (p.status !== 0) throw new Error(`${v}: ${p.stderr}`);
        const x = JSON.parse(p.stdout.trim().split('\n').pop());
        if (x.n !== N) throw new Error(`${v}: ${x.n} objects, expected ${N}`);
        res[v].push(x);
        console.error(
          `round ${r + 1} ${v.padEnd(10)} ${((x.n / x.ms) * 1000).toFixed(0)} obj/s  ${(x.cpuMs / N).toFixed(3)} ms CPU/HEAD`,
        );
      }
    }
  } finally {
    await dropBucket(client, bucket);
    client.close();
  }
  console.log(`HEAD paths on ${t.tier}: N=${N}, concurrency 16, ${R} rounds (rotated), medians\n`);
  console.log('| path | CPU ms per object (list + HEAD) | objects/s |\n|---|---|---|');
  for (const v of VARIANTS)
    console.log(
      `| ${v} | ${median(res[v].map((x) => x.cpuMs / N)).toFixed(3)} | ${median(res[v].map((x) => (x.n / x.ms) * 1000)).toFixed(0)} |`,
    );
}

if (values.variant) await child(values.variant, values.bucket);
else await main();
