#!/usr/bin/env node
// Issue 13 part 1: does the run find its own concurrency when the store is far away? Through the
// latency proxy (bench/lib/latency-proxy.mjs: a delay per request), the default run (no
// --concurrency) against a sweep of fixed --concurrency values, in the same run, on the same
// server; then the default once more with a share of requests answered 503 SlowDown.
//   node bench/latency/run.mjs --command encrypt --server moto --delay 50 [--n 2000]
//   node bench/latency/run.mjs --command verify --server rgw --delay 20 [--n 5000]
//        [--sweep 16,32,64,128,256] [--rounds 1] [--jitter 2] [--slowdown 0.05] [--no-slowdown-run]
// encrypt: every run gets a fresh bucket of N plaintext 1 KiB objects (seeded around the proxy,
// untimed); a run counts only if its --json summary says N done and an untimed census HEADs N
// objects under the key. verify: one bucket of N SSE-KMS objects, every run must report N
// checked and N compliant. Each run is its own process, timed spawn to exit. Rounds rotate the
// order of the runs. Needs `npm run build` first. Writes bench/out/latency-*.json and Markdown.
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
import { latencyProxy } from '../lib/latency-proxy.mjs';
import { lastJson, machine, stats, timed } from '../lib/measure.mjs';
import { childEnv, ROOT, target } from '../lib/targets.mjs';

const { values } = parseArgs({
  options: {
    command: { type: 'string', default: 'encrypt' },
    server: { type: 'string' },
    delay: { type: 'string' },
    jitter: { type: 'string', default: '2' },
    n: { type: 'string' },
    sweep: { type: 'string', default: '16,32,64,128,256' },
    rounds: { type: 'string', default: '1' },
    slowdown: { type: 'string', default: '0.05' },
    'no-slowdown-run': { type: 'boolean', default: false },
  },
});
const COMMAND = values.command;
if (!['encrypt', 'verify'].includes(COMMAND)) throw new Error('--command encrypt|verify');
const SERVER = values.server ?? (COMMAND === 'encrypt' ? 'moto' : 'rgw');
const DELAY = Number(values.delay ?? (COMMAND === 'encrypt' ? 50 : 20));
const JITTER = Number(values.jitter);
const N = Number(values.n ?? (COMMAND === 'encrypt' ? 2000 : 5000));
const R = Number(values.rounds);
const SWEEP = values.sweep.split(',').filter(Boolean).map(Number);
const SLOWDOWN = Number(values.slowdown);
if (!(N >= 1 && N <= 50_000 && R >= 1 && R <= 10 && DELAY >= 0 && DELAY <= 1000))
  throw new Error('--n 1..50000, --rounds 1..10, --delay 0..1000');
for (const c of SWEEP) if (!(Number.isInteger(c) && c >= 1 && c <= 1024)) throw new Error(`bad --sweep ${c}`);

const CLI = resolve(ROOT, 'bin/s3-encrypt.js');
const OUT = resolve(ROOT, 'bench/out');
mkdirSync(OUT, { recursive: true });
const t = target(SERVER);
const client = rawClient(t, 64);
const key = t.tier === 'moto' ? await createMotoKey(t) : t.kmsKeyIds[0];
if (!key) throw new Error(`${t.tier}: no KMS key id`);
const keyFlags = t.tier === 'rgw' ? ['--skip-key-check'] : [];

/** One timed CLI run through the proxy; `concurrency` undefined: the default (no flag). */
async function runOnce(proxy, label, concurrency, bucketForVerify, n = N) {
  let bucket = bucketForVerify;
  if (COMMAND === 'encrypt') {
    bucket = benchBucket('bench-lat');
    await seedBucket(client, bucket, n);
    if (t.tier === 'moto') await setOwnership(client, bucket, 'BucketOwnerEnforced');
  }
  const cwd = mkdtempSync(join(OUT, 'cwd-'));
  try {
    const argv = [
      process.execPath,
      CLI,
      '--endpoint-url',
      proxy.endpoint,
      '--json',
      COMMAND,
      '--bucket',
      bucket,
      '--kms-key',
      key,
      ...keyFlags,
      ...(COMMAND === 'verify' ? ['--live'] : ['--no-state']),
      ...(concurrency !== undefined ? ['--concurrency', String(concurrency)] : []),
    ];
    const before = { ...proxy.stats };
    const load1 = loadavg()[0];
    const r = await timed(argv, { env: childEnv(t), cwd });
    const s = lastJson(r.stdout)?.summary;
    const ok =
      COMMAND === 'verify'
        ? r.code === 0 && s?.checked === N && s?.compliant === N
        : r.code === 0 && s?.processed === n && s?.failures === 0;
    if (!ok)
      throw new Error(
        `${label}: exit ${r.code}, summary ${JSON.stringify(s)?.slice(0, 600)} ${r.stderr.slice(-400)}`,
      );
    if (COMMAND === 'encrypt') {
      const census = await encryptionCensus(client, bucket, key);
      if (census.objects !== n || census.underKey !== n)
        throw new Error(`${label}: after the run ${JSON.stringify(census)} (expected ${n} under the key)`);
    }
    return {
      label,
      concurrency: concurrency ?? 'default',
      wallMs: r.wallMs,
      objPerS: (COMMAND === 'verify' ? N : n) / (r.wallMs / 1000),
      cpuS: r.userS + r.sysS,
      load1,
      pacing: s.pacing,
      proxied: proxy.stats.requests - before.requests,
      slowDowns: proxy.stats.slowDowns - before.slowDowns,
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
    if (COMMAND === 'encrypt') await dropBucket(client, bucket);
  }
}

const started = new Date();
const proxy = await latencyProxy(t.endpoint, { delayMs: DELAY, jitterMs: JITTER, slowDownShare: 0 });
let verifyBucket;
if (COMMAND === 'verify') {
  verifyBucket = benchBucket('bench-lat-v');
  console.error(`[${t.tier}] seeding ${N} SSE-KMS objects into ${verifyBucket} ...`);
  await seedBucket(client, verifyBucket, N, { kmsKeyId: key });
}
const configs = [
  { label: 'default', concurrency: undefined },
  ...SWEEP.map((c) => ({ label: `--concurrency ${c}`, concurrency: c })),
];
const runs = [];
try {
  // Untimed warm-up (server caches, the page cache of the CLI's files): the first run would pay it.
  const warm = await runOnce(proxy, 'warm-up', undefined, verifyBucket, Math.min(N, 500));
  console.error(`[warm-up] ${(warm.wallMs / 1000).toFixed(2)} s (untimed)`);
  for (let round = 1; round <= R; round++) {
    const k = (round - 1) % configs.length;
    for (const c of [...configs.slice(k), ...configs.slice(0, k)]) {
      const r = { round, ...(await runOnce(proxy, c.label, c.concurrency, verifyBucket)) };
      runs.push(r);
      console.error(
        `[round ${round}] ${c.label.padEnd(18)} ${(r.wallMs / 1000).toFixed(2)} s  ${r.objPerS.toFixed(0)} obj/s  highest ${r.pacing.highestConcurrency}  backoffs ${r.pacing.backoffs}  load ${r.load1.toFixed(2)}`,
      );
    }
  }
  if (!values['no-slowdown-run'] && SLOWDOWN > 0) {
    proxy.settings.slowDownShare = SLOWDOWN;
    const r = {
      round: 'slowdown',
      ...(await runOnce(proxy, `default, ${SLOWDOWN * 100}% 503`, undefined, verifyBucket)),
    };
    runs.push(r);
    console.error(
      `[503s]    default ${(r.wallMs / 1000).toFixed(2)} s  ${r.objPerS.toFixed(0)} obj/s  503s ${r.slowDowns}  throttles ${r.pacing.throttles}  backoffs ${r.pacing.backoffs}  highest ${r.pacing.highestConcurrency}`,
    );
  }
} finally {
  await proxy.close();
  if (verifyBucket) await dropBucket(client, verifyBucket);
  client.close();
}

const summary = {};
for (const c of configs) {
  const of = runs.filter((r) => r.label === c.label);
  summary[c.label] = {
    objPerS: stats(of.map((r) => r.objPerS)),
    highest: stats(of.map((r) => r.pacing.highestConcurrency)),
    load1: stats(of.map((r) => r.load1)),
  };
}
const best = Math.max(...SWEEP.map((c) => summary[`--concurrency ${c}`].objPerS.median));
const ratio = summary.default.objPerS.median / best;
const report = {
  bench: 'latency',
  command: COMMAND,
  started: started.toISOString(),
  machine: await machine(),
  server: t.tier,
  delayMs: DELAY,
  jitterMs: JITTER,
  n: N,
  rounds: R,
  runs,
  summary,
  best,
  ratio,
};
const file = join(OUT, `latency-${COMMAND}-${t.tier}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));

const f = (x, d = 0) => x.toFixed(d);
console.log(
  `${COMMAND}${COMMAND === 'verify' ? ' --live' : ''} on ${t.tier}, ${DELAY} ms (+-${JITTER} ms) per request, N=${N} objects of 1 KiB, ${R} round(s), ${report.machine.cpus} cores, node ${report.machine.node}\n`,
);
console.log('| run | objects/s median (min-max) | highest concurrency | load (1 min) |');
console.log('|---|---|---|---|');
for (const c of configs) {
  const s = summary[c.label];
  console.log(
    `| ${c.label} | ${f(s.objPerS.median)} (${f(s.objPerS.min)}-${f(s.objPerS.max)}) | ${s.highest.median} | ${f(s.load1.median, 2)} |`,
  );
}
console.log(
  `\ndefault / best of the sweep: ${f(ratio, 2)} (best ${f(best)} objects/s); target >= 0.90: ${ratio >= 0.9 ? 'met' : 'MISSED'}`,
);
const slow = runs.find((r) => r.round === 'slowdown');
if (slow)
  console.log(
    `with ${SLOWDOWN * 100}% of requests answered 503 SlowDown: ${f(slow.objPerS)} objects/s, completed; ${slow.slowDowns} 503s sent, summary: throttles ${slow.pacing.throttles}, backoffs ${slow.pacing.backoffs}, highest concurrency ${slow.pacing.highestConcurrency} (load ${f(slow.load1, 2)})`,
  );
console.log(`\nraw data: ${file}`);
