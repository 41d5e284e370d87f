#!/usr/bin/env node
// Fixed cost per process: both sides verify a one-object RGW bucket, so CPU is startup, not HEADs.
//   node bench/verify/startup.mjs [--runs 5]
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchBucket, dropBucket, rawClient, seedBucket } from '../lib/buckets.mjs';
import { median } from '../lib/measure.mjs';
import { childEnv, ROOT, target } from '../lib/targets.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const t = target('rgw');
const key = 's3e-key-1';
const client = rawClient(t);
const bucket = benchBucket('bench-startup');
await seedBucket(client, bucket, 1, { kmsKeyId: key });
const argv = {
  cli: [
    resolve(ROOT, 'bin/s3-encrypt.js'),
    '--endpoint-url',
    t.endpoint,
    '--json',
    'verify',
    '--bucket',
    bucket,
    '--kms-key',
    key,
    '--skip-key-check',
    '--live',
  ],
  raw: [
    resolve(ROOT, 'bench/lib/raw-cli.mjs'),
    'verify',
    '--endpoint',
    t.endpoint,
    '--bucket',
    bucket,
    '--kms-key',
    key,
  ],
};
const cpu = { cli: [], raw: [] };
try {
  for (let i = 0; i < Number(values.runs); i++)
    for (const side of ['cli', 'raw']) {
      const p = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...argv[side]], {
        env: childEnv(t),
        encoding: 'utf8',
      });
      if (p.status !== 0) throw new Error(`${side}: ${p.stderr}`);
      const [u, s] = p.stderr.trim().split('\n').pop().split(' ').map(Number);
      cpu[side].push(u + s);
    }
} finally {
  await dropBucket(client, bucket);
  client.close();
}
for (const side of ['cli', 'raw'])
  console.log(
    `${side}: median CPU ${median(cpu[side]).toFixed(2)} s per process (${cpu[side].map((x) => x.toFixed(2)).join(', ')})`,
  );
