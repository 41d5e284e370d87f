#!/usr/bin/env node
// Issue 4 (c): `s3-encrypt verify --live` HEAD rate vs the raw SigV4 client, same run, same bucket.
//   node bench/verify/run.mjs [--n 5000] [--rounds 5] [--concurrency 16] [--servers moto,rgw] [--cli PATH]
//                             [--alt PATH --alt-label NAME]
// Per server: seed N objects of 1 KiB, SSE-KMS under the target key (so both sides end compliant
// and exit 0); one untimed warm-up of each side; then R rounds alternating which side goes first.
// Each side is its own process, timed spawn to exit (wall) with its user+sys CPU (GNU time).
// Afterwards, untimed, both sides run once through a counting proxy to record the operations.
// --alt adds a third side, another build of the CLI (e.g. one signer against another), measured in
// the same rounds with the order rotated, so the two builds compare under the same load.
// Needs `npm run build` first. Writes bench/out/verify-<time>.json and prints a Markdown table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchBucket, createMotoKey, dropBucket, rawClient, seedBucket } from '../lib/buckets.mjs';
import { countingProxy } from '../lib/count-proxy.mjs';
import { lastJson, machine, median, stats, timed } from '../lib/measure.mjs';
import { childEnv, ROOT, target } from '../lib/targets.mjs';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    servers: { type: 'string', default: 'moto,rgw' },
    keep: { type: 'boolean', default: false },
    // Another build of the CLI (e.g. a patched copy of the tree), measured without touching this one.
    cli: { type: 'string' },
    alt: { type: 'string' },
    'alt-label': { type: 'string', default: 'alt' },
  },
});
const N = Number(values.n);
const R = Number(values.rounds);
const C = Number(values.concurrency);
if (!(N >= 1 && N <= 100_000 && R >= 1 && R <= 20 && C >= 1 && C <= 256))
  throw new Error('--n 1..100000, --rounds 1..20, --concurrency 1..256');

const CLI = resolve(values.cli ?? resolve(ROOT, 'bin/s3-encrypt.js'));
const RAW = resolve(ROOT, 'bench/lib/raw-cli.mjs');
const ALT = values.alt ? resolve(values.alt) : undefined;
const SIDES = ALT ? ['cli', 'alt', 'raw'] : ['cli', 'raw'];

function sides(t, endpoint, bucket, key) {
  const all = sidesOf(t, endpoint, bucket, key);
  if (ALT) all.alt = { ...all.cli, argv: all.cli.argv.map((a) => (a === CLI ? ALT : a)) };
  return all;
}

function sidesOf(t, endpoint, bucket, key) {
  const keyFlags = t.tier === 'rgw' ? ['--kms-key', key, '--skip-key-check'] : ['--kms-key', key];
  return {
    cli: {
      argv: [
        process.execPath,
        CLI,
        '--endpoint-url',
        endpoint,
        '--json',
        'verify',
        '--bucket',
        bucket,
        ...keyFlags,
        '--live',
        '--concurrency',
        String(C),
      ],
      // The CLI's last JSON line is its summary; every object must be checked and compliant.
      check: (r) => {
        const s = lastJson(r.stdout)?.summary;
        return r.code === 0 && s?.checked === N && s?.compliant === N
          ? null
          : `exit ${r.code}, summary ${JSON.stringify(s)}: ${r.stderr.slice(-300)}`;
      },
    },
    raw: {
      argv: [
        process.execPath,
        RAW,
        'verify',
        '--endpoint',
        endpoint,
        '--bucket',
        bucket,
        '--kms-key',
        key,
        '--concurrency',
        String(C),
      ],
      check: (r) => {
        const s = lastJson(r.stdout);
        return r.code === 0 && s?.objects === N && s?.counts?.compliant === N
          ? null
          : `exit ${r.code}, ${r.stdout.slice(-300)} ${r.stderr.slice(-300)}`;
      },
    },
  };
}

async function runSide(t, name, side) {
  const load1 = loadavg()[0];
  const r = await timed(side.argv, { env: childEnv(t), cwd: ROOT });
  const problem = side.check(r);
  if (problem) throw new Error(`${t.tier} ${name}: ${problem}`);
  return {
    side: name,
    wallMs: r.wallMs,
    objPerS: N / (r.wallMs / 1000),
    cpuS: r.userS + r.sysS,
    userS: r.userS,
    sysS: r.sysS,
    load1,
  };
}

async function benchServer(tier) {
  const t = target(tier);
  const client = rawClient(t);
  const key = tier === 'moto' ? await createMotoKey(t) : t.kmsKeyIds[0];
  if (!key) throw new Error(`${tier}: no KMS key id (S3E_RGW_KMS_KEYS in .local/rgw.env)`);
  const bucket = benchBucket(`bench-verify-${tier}`);
  const t0 = performance.now();
  console.error(`[${tier}] seeding ${N} objects (1 KiB, SSE-KMS) into ${bucket} ...`);
  await seedBucket(client, bucket, N, { kmsKeyId: key });
  console.error(`[${tier}] seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const s = sides(t, t.endpoint, bucket, key);
    console.error(`[${tier}] warm-up (untimed): ${SIDES.join(', ')}`);
    for (const name of SIDES) await runSide(t, name, s[name]);
    const runs = [];
    for (let round = 1; round <= R; round++) {
      // Two sides alternate; three rotate, so each goes first, second and last equally often.
      const order =
        SIDES.length === 2
          ? round % 2
            ? ['cli', 'raw']
            : ['raw', 'cli']
          : SIDES.map((_, i) => SIDES[(i + round - 1) % SIDES.length]);
      for (const name of order) {
        const r = { round, ...(await runSide(t, name, s[name])) };
        runs.push(r);
        console.error(
          `[${tier}] round ${round} ${name.padEnd(3)} ${(r.wallMs / 1000).toFixed(2)} s  ${r.objPerS.toFixed(0)} obj/s  cpu ${r.cpuS.toFixed(2)} s  load ${r.load1.toFixed(2)}`,
        );
      }
    }
    // Operations, counted on the wire (untimed: the proxy adds its own latency).
    const proxy = await countingProxy(t.endpoint);
    const ops = {};
    try {
      for (const name of SIDES) {
        proxy.reset();
        await runSide(t, name, sides(t, proxy.endpoint, bucket, key)[name]);
        ops[name] = { ...proxy.counts };
      }
    } finally {
      await proxy.close();
    }
    return { tier, endpoint: t.endpoint, bucket, key, runs, ops, summary: summarise(runs) };
  } finally {
    if (!values.keep) await dropBucket(client, bucket);
    client.close();
  }
}

function summarise(runs) {
  const of = (side) => runs.filter((r) => r.side === side);
  const pick = (side, f) => stats(of(side).map(f));
  const cli = of('cli');
  const raw = of('raw');
  const paired = cli.map((c) => c.objPerS / raw.find((r) => r.round === c.round).objPerS);
  const alt = of('alt');
  const altSummary = alt.length
    ? {
        alt: {
          objPerS: pick('alt', (r) => r.objPerS),
          wallS: pick('alt', (r) => r.wallMs / 1000),
          cpuMsPerObj: pick('alt', (r) => (1000 * r.cpuS) / N),
        },
        altRatioOfMedians: median(alt.map((r) => r.objPerS)) / median(raw.map((r) => r.objPerS)),
        altPairedRatio: stats(alt.map((a) => a.objPerS / raw.find((r) => r.round === a.round).objPerS)),
        // The question --alt answers: how much faster (>1) or slower the alt build is than cli.
        altOverCli: median(alt.map((r) => r.objPerS)) / median(cli.map((r) => r.objPerS)),
        altOverCliPaired: stats(alt.map((a) => a.objPerS / cli.find((c) => c.round === a.round).objPerS)),
      }
    : {};
  return {
    ...altSummary,
    cli: {
      objPerS: pick('cli', (r) => r.objPerS),
      wallS: pick('cli', (r) => r.wallMs / 1000),
      cpuMsPerObj: pick('cli', (r) => (1000 * r.cpuS) / N),
    },
    raw: {
      objPerS: pick('raw', (r) => r.objPerS),
      wallS: pick('raw', (r) => r.wallMs / 1000),
      cpuMsPerObj: pick('raw', (r) => (1000 * r.cpuS) / N),
    },
    ratioOfMedians: median(cli.map((r) => r.objPerS)) / median(raw.map((r) => r.objPerS)),
    pairedRatio: stats(paired),
  };
}

const f0 = (x) => x.toFixed(0);
const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);
function table(results) {
  const rows = [
    '| server | side | objects/s median (min-max) | wall s median | client CPU ms/object median | ratio cli/raw (median of rates) | paired ratio median (min-max) | target >= 0.90 |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const label = {
    cli: 's3-encrypt verify --live',
    alt: `${values['alt-label']} build, verify --live`,
    raw: 'raw SigV4 client',
  };
  for (const r of results) {
    const s = r.summary;
    for (const side of SIDES) {
      const x = s[side];
      const ratio =
        side === 'cli' ? [s.ratioOfMedians, s.pairedRatio] : [s.altRatioOfMedians, s.altPairedRatio];
      rows.push(
        `| ${r.tier} | ${label[side]} | ${f0(x.objPerS.median)} (${f0(x.objPerS.min)}-${f0(x.objPerS.max)}) | ${f2(x.wallS.median)} | ${f3(x.cpuMsPerObj.median)} | ` +
          (side !== 'raw'
            ? `${f2(ratio[0])} | ${f2(ratio[1].median)} (${f2(ratio[1].min)}-${f2(ratio[1].max)}) | ${ratio[0] >= 0.9 ? 'met' : 'MISSED'} |`
            : '| | |'),
      );
    }
    if (s.alt)
      rows.push(
        `\n${r.tier}: ${values['alt-label']} / cli objects/s = ${f3(s.altOverCli)} (paired median ${f3(s.altOverCliPaired.median)}, ${f3(s.altOverCliPaired.min)}-${f3(s.altOverCliPaired.max)})`,
      );
  }
  return rows.join('\n');
}

const started = new Date();
const results = [];
for (const tier of values.servers.split(',').filter(Boolean)) results.push(await benchServer(tier));
const report = {
  bench: 'verify',
  cli: CLI,
  ...(ALT ? { alt: ALT, altLabel: values['alt-label'] } : {}),
  started: started.toISOString(),
  machine: await machine(),
  n: N,
  rounds: R,
  concurrency: C,
  objectBytes: 1024,
  results,
};
mkdirSync(resolve(ROOT, 'bench/out'), { recursive: true });
const file = resolve(ROOT, 'bench/out', `verify-${started.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));
console.log(
  `verify --live vs raw client: N=${N} objects of 1 KiB, concurrency ${C}, ${R} rounds (alternating), ${report.machine.cpus} cores, node ${report.machine.node}\n`,
);
console.log(table(results));
for (const r of results)
  console.log(
    `\n${r.tier} operations (one run, counted on the wire): ${SIDES.map((n) => `${n} ${JSON.stringify(r.ops[n])}`).join('; ')}`,
  );
console.log(`\nraw data: ${file}`);
