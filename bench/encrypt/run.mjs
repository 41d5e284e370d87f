#!/usr/bin/env node
// Issue 4 (a) and (b): `s3-encrypt encrypt` vs the raw SigV4 client (objects/s) and vs
// `aws s3 cp s3://B/ s3://B/ --recursive --sse aws:kms --sse-kms-key-id K` (client CPU per object).
//   node bench/encrypt/run.mjs [--n 5000] [--rounds 5] [--concurrency 16] [--server moto]
//        [--sides cli,raw,awscli] [--ownership enforced|none (rgw: none)] [--aws /usr/bin/aws]
// Every round gives each side a fresh bucket of N plaintext (NOT-SSE) 1 KiB objects, rotates the
// order of the sides, and times each side as its own process (spawn to exit; user+sys CPU from
// GNU time). After each side, an untimed census HEADs every object of its bucket: a round counts
// only if all N objects ended SSE-KMS under the key. Before the rounds each side runs once,
// untimed, through a counting proxy on a small bucket, to record which operations it performs.
// Needs `npm run build` first. Writes bench/out/encrypt-<time>.json and prints Markdown tables.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  benchBucket,
  createMotoKey,
  dropBucket,
  encryptionCensus,
  rawClient,
  seedBucket,
  setOwnership,
} from '../lib/buckets.mjs';
import { countingProxy } from '../lib/count-proxy.mjs';
import { machine, stats, timed } from '../lib/measure.mjs';
import { childEnv, ROOT, target } from '../lib/targets.mjs';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    server: { type: 'string', default: 'moto' },
    sides: { type: 'string', default: 'cli,raw,awscli' },
    ownership: { type: 'string' },
    aws: { type: 'string', default: '/usr/bin/aws' },
    'census-n': { type: 'string', default: '300' },
  },
});
const N = Number(values.n);
const R = Number(values.rounds);
const C = Number(values.concurrency);
const SIDES = values.sides.split(',').filter(Boolean);
// RGW has no ownership controls (PutBucketOwnershipControls is refused): ACLs are always in force there.
const OWNERSHIP = values.ownership ?? (values.server === 'rgw' ? 'none' : 'enforced');
if (values.server === 'rgw' && OWNERSHIP === 'enforced')
  throw new Error('--ownership enforced: Ceph RGW has no ownership controls; use --ownership none');
if (!(N >= 1 && N <= 100_000 && R >= 1 && R <= 20 && C >= 1 && C <= 256))
  throw new Error('--n 1..100000, --rounds 1..20, --concurrency 1..256');
if (!['enforced', 'none'].includes(OWNERSHIP)) throw new Error('--ownership enforced|none');
for (const s of SIDES)
  if (!['cli', 'raw', 'floor', 'awscli'].includes(s)) throw new Error(`unknown side ${s}`);

const CLI = resolve(ROOT, 'bin/s3-encrypt.js');
const RAW = resolve(ROOT, 'bench/lib/raw-cli.mjs');
const OUT = resolve(ROOT, 'bench/out');
mkdirSync(OUT, { recursive: true });

// awscli reads its concurrency from a config file: a private one, so ~/.aws never leaks in.
const awsConfig = join(OUT, 'awscli-config');
writeFileSync(
  awsConfig,
  `[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = ${C}\n  max_queue_size = 10000\n`,
);

const t = target(values.server);
const keyFlags = t.tier === 'rgw' ? ['--skip-key-check'] : [];

/** argv, environment and output check of one side on one bucket. */
function side(name, endpoint, bucket, key) {
  if (name === 'cli')
    return {
      argv: [
        process.execPath,
        CLI,
        '--endpoint-url',
        endpoint,
        'encrypt',
        '--bucket',
        bucket,
        '--kms-key',
        key,
        ...keyFlags,
        '--concurrency',
        String(C),
      ],
      env: childEnv(t),
      check: (r, n) =>
        r.code === 0 && new RegExp(`DONE: ${n.toLocaleString('en-US')} objects rewritten`).test(r.stdout)
          ? null
          : `exit ${r.code}: ${r.stdout.slice(-400)} ${r.stderr.slice(-400)}`,
    };
  if (name === 'raw' || name === 'floor')
    return {
      argv: [
        process.execPath,
        RAW,
        'encrypt',
        '--endpoint',
        endpoint,
        '--bucket',
        bucket,
        '--kms-key',
        key,
        '--concurrency',
        String(C),
        // The same requests over bare sockets: what any Node client must spend at least.
        ...(name === 'floor' ? ['--transport', 'net'] : []),
      ],
      env: childEnv(t),
      check: (r) => (r.code === 0 ? null : `exit ${r.code}: ${r.stdout.slice(-400)} ${r.stderr.slice(-400)}`),
    };
  return {
    argv: [
      values.aws,
      '--endpoint-url',
      endpoint,
      's3',
      'cp',
      `s3://${bucket}/`,
      `s3://${bucket}/`,
      '--recursive',
      '--sse',
      'aws:kms',
      '--sse-kms-key-id',
      key,
      '--only-show-errors',
    ],
    env: childEnv(t, {
      AWS_CONFIG_FILE: awsConfig,
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    }),
    check: (r) => (r.code === 0 ? null : `exit ${r.code}: ${r.stderr.slice(-400)}`),
  };
}

async function prepare(client, bucket, n) {
  await seedBucket(client, bucket, n);
  if (OWNERSHIP === 'enforced') await setOwnership(client, bucket, 'BucketOwnerEnforced');
}

/** One timed run of `name` on a fresh bucket; throws unless every object ended under the key. */
async function runOnce(client, name, key, n, endpoint = t.endpoint) {
  const bucket = benchBucket(`bench-enc-${name}`);
  await prepare(client, bucket, n);
  // The CLI writes its resume file under the working directory: a throwaway one per run.
  const cwd = mkdtempSync(join(OUT, 'cwd-'));
  try {
    const s = side(name, endpoint, bucket, key);
    const load = loadavg()[0];
    const r = await timed(s.argv, { env: s.env, cwd });
    const problem = s.check(r, n);
    if (problem) throw new Error(`${name}: ${problem}`);
    const census = await encryptionCensus(client, bucket, key);
    if (census.objects !== n || census.underKey !== n)
      throw new Error(`${name}: after the run ${JSON.stringify(census)} (expected ${n} under the key)`);
    return {
      side: name,
      wallMs: r.wallMs,
      objPerS: n / (r.wallMs / 1000),
      cpuS: r.userS + r.sysS,
      userS: r.userS,
      sysS: r.sysS,
      load1: load,
      census,
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
    await dropBucket(client, bucket);
  }
}

const started = new Date();
const client = rawClient(t);
const key = t.tier === 'moto' ? await createMotoKey(t) : t.kmsKeyIds[0];
if (!key) throw new Error(`${t.tier}: no KMS key id`);
const versions = {};
if (SIDES.includes('awscli')) {
  const v = await timed([values.aws, '--version'], { env: childEnv(t), cwd: OUT });
  versions.awscli = `${v.stdout}${v.stderr}`.trim();
}

// Operations per side, counted on the wire (untimed; doubles as the warm-up).
const CN = Number(values['census-n']);
const ops = {};
const proxy = await countingProxy(t.endpoint);
try {
  for (const name of SIDES) {
    proxy.reset();
    await runOnce(client, name, key, CN, proxy.endpoint);
    ops[name] = { objects: CN, ...proxy.counts };
    console.error(`[ops] ${name}: ${JSON.stringify(ops[name])}`);
  }
} finally {
  await proxy.close();
}

const runs = [];
for (let round = 1; round <= R; round++) {
  const k = (round - 1) % SIDES.length;
  const order = [...SIDES.slice(k), ...SIDES.slice(0, k)];
  for (const name of order) {
    const r = { round, ...(await runOnce(client, name, key, N)) };
    runs.push(r);
    console.error(
      `[round ${round}] ${name.padEnd(6)} ${(r.wallMs / 1000).toFixed(2)} s  ${r.objPerS.toFixed(0)} obj/s  cpu ${r.cpuS.toFixed(2)} s (${((1000 * r.cpuS) / N).toFixed(3)} ms/obj)  load ${r.load1.toFixed(2)}`,
    );
  }
}
client.close();

const of = (name) => runs.filter((r) => r.side === name);
const summary = {};
for (const name of SIDES)
  summary[name] = {
    objPerS: stats(of(name).map((r) => r.objPerS)),
    wallS: stats(of(name).map((r) => r.wallMs / 1000)),
    cpuMsPerObj: stats(of(name).map((r) => (1000 * r.cpuS) / N)),
  };
const paired = (a, b, f) => stats(of(a).map((x) => f(x) / f(of(b).find((y) => y.round === x.round))));
const ratios = {};
if (summary.cli && summary.raw)
  ratios.throughput = {
    ofMedians: summary.cli.objPerS.median / summary.raw.objPerS.median,
    paired: paired('cli', 'raw', (r) => r.objPerS),
  };
if (summary.cli && summary.awscli)
  ratios.cpu = {
    ofMedians: summary.cli.cpuMsPerObj.median / summary.awscli.cpuMsPerObj.median,
    paired: paired('cli', 'awscli', (r) => r.cpuS),
  };
if (summary.floor && summary.awscli)
  ratios.floorCpu = {
    ofMedians: summary.floor.cpuMsPerObj.median / summary.awscli.cpuMsPerObj.median,
    paired: paired('floor', 'awscli', (r) => r.cpuS),
  };

const report = {
  bench: 'encrypt',
  started: started.toISOString(),
  machine: await machine(),
  server: t.tier,
  endpoint: t.endpoint,
  n: N,
  rounds: R,
  concurrency: C,
  objectBytes: 1024,
  ownership: OWNERSHIP,
  key,
  versions,
  ops,
  runs,
  summary,
  ratios,
};
const file = join(OUT, `encrypt-${t.tier}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));

const label = {
  cli: 's3-encrypt encrypt',
  raw: 'raw SigV4 client',
  floor: 'floor: same requests, bare sockets',
  awscli: `aws s3 cp (${versions.awscli?.split(' ')[0] ?? 'awscli'})`,
};
const f = (x, d = 0) => x.toFixed(d);
console.log(
  `encrypt on ${t.tier}: N=${N} NOT-SSE objects of 1 KiB per side per round, concurrency ${C}, ${R} rounds (order rotated), ownership ${OWNERSHIP === 'enforced' ? 'BucketOwnerEnforced' : 'none set (ACLs in force)'}, ${report.machine.cpus} cores, node ${report.machine.node}\n`,
);
console.log('| side | objects/s median (min-max) | wall s median | client CPU ms/object median (min-max) |');
console.log('|---|---|---|---|');
for (const name of SIDES) {
  const s = summary[name];
  console.log(
    `| ${label[name]} | ${f(s.objPerS.median)} (${f(s.objPerS.min)}-${f(s.objPerS.max)}) | ${f(s.wallS.median, 2)} | ${f(s.cpuMsPerObj.median, 3)} (${f(s.cpuMsPerObj.min, 3)}-${f(s.cpuMsPerObj.max, 3)}) |`,
  );
}
if (ratios.throughput)
  console.log(
    `\n(a) throughput cli/raw: ${f(ratios.throughput.ofMedians, 2)} (ratio of medians); paired per round median ${f(ratios.throughput.paired.median, 2)} (${f(ratios.throughput.paired.min, 2)}-${f(ratios.throughput.paired.max, 2)}); target >= 0.90: ${ratios.throughput.ofMedians >= 0.9 ? 'met' : 'MISSED'}`,
  );
if (ratios.cpu)
  console.log(
    `(b) client CPU per object cli/awscli: ${f(ratios.cpu.ofMedians, 2)} (ratio of medians); paired median ${f(ratios.cpu.paired.median, 2)} (${f(ratios.cpu.paired.min, 2)}-${f(ratios.cpu.paired.max, 2)}); target <= 0.33: ${ratios.cpu.ofMedians <= 1 / 3 ? 'met' : 'MISSED'}`,
  );
if (ratios.floorCpu)
  console.log(
    `    floor/awscli: ${f(ratios.floorCpu.ofMedians, 2)} (paired median ${f(ratios.floorCpu.paired.median, 2)}): the least any client sending these requests per object spends here`,
  );
for (const name of SIDES)
  console.log(
    `\noperations, ${label[name]} (${CN} objects, counted on the wire): ${JSON.stringify(ops[name])}`,
  );
console.log(`\nraw data: ${file}`);
