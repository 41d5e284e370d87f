// build-manifest benchmark: the built CLI (`build-manifest --from-dir DIR --out OUT`, no AWS)
// against `zcat FILE | mawk -F'","' -f filter.awk` on the same synthetic inventory, in the same
// run, interleaved. Reports rows/s, wall time and peak RSS (GNU time -v), medians of --runs,
// checks both produce the same rows (sorted compare of every manifest), then the CLI's peak RSS
// on a --big-rows inventory. Writes bench/build-manifest/RESULTS.md.
//
//   npm run build && node bench/build-manifest/run.mjs [--rows 2000000] [--runs 3] [--big-rows 20000000]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUCKET, ensureDelivery, FIELDS } from './generate.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '../..');
const OUT = join(ROOT, 'bench/out/build-manifest');
const BIN = join(ROOT, 'bin/s3-encrypt.js');
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const ROWS = Number(arg('rows', '2000000'));
const RUNS = Number(arg('runs', '3'));
const BIG = Number(arg('big-rows', '20000000'));

function need(cmd, pkg) {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0 && !existsSync(cmd))
    throw new Error(`${cmd} not found: apt-get install -y ${pkg}`);
}
need('/usr/bin/time', 'time');
need('mawk', 'mawk');
need('zcat', 'gzip');
if (!existsSync(join(ROOT, 'dist/s3-encrypt.mjs')))
  throw new Error('dist/ is missing: run npm run build first');

/** Run a shell command under GNU time -v; returns wall seconds and peak RSS in MB. */
function timed(command) {
  const r = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', command], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${command}\n${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  if (!wall || !rss || !user || !sys) throw new Error(`cannot read GNU time output:\n${r.stderr}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  // CPU seconds (user + system, children included) do not depend on what else the machine runs.
  return { seconds, rssMb: Number(rss[1]) / 1024, cpu: Number(user[1]) + Number(sys[1]) };
}

const cliCommand = (dir, out) =>
  `node ${BIN} build-manifest --bucket ${BUCKET} --from-dir ${dir} --out ${out} --kms-key ${KEY} > /dev/null`;
const awkCommand = (data, out) => `zcat ${data} | mawk -F'","' -v out=${out} -f ${join(HERE, 'filter.awk')}`;

/** md5 of the sorted lines of every manifest in `dir`, by file name. */
function sortedDigests(dir, names) {
  const out = {};
  for (const n of names)
    out[n] = execFileSync('sh', ['-c', `LC_ALL=C sort ${join(dir, n)} | md5sum | cut -d' ' -f1`], {
      encoding: 'utf8',
    }).trim();
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function fresh(dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

async function main() {
  console.log(`generating ${ROWS.toLocaleString('en-US')} rows (cached in bench/out/build-manifest) ...`);
  const small = await ensureDelivery(ROWS, join(OUT, `d${ROWS}`));
  const cliOut = join(OUT, 'cli-out');
  const awkOut = join(OUT, 'awk-out');
  const cli = [];
  const awk = [];
  let same;
  for (let i = 0; i < RUNS; i++) {
    await fresh(cliOut);
    await fresh(awkOut);
    cli.push(timed(cliCommand(small.dir, cliOut)));
    awk.push(timed(awkCommand(small.data, awkOut)));
    console.log(
      `run ${i + 1}: s3-encrypt ${cli[i].seconds.toFixed(2)} s (cpu ${cli[i].cpu.toFixed(2)} s) ${cli[i].rssMb.toFixed(0)} MB | zcat|mawk ${awk[i].seconds.toFixed(2)} s (cpu ${awk[i].cpu.toFixed(2)} s) ${awk[i].rssMb.toFixed(0)} MB`,
    );
    const names = (await readdir(awkOut)).filter((n) => n.endsWith('.csv')).sort();
    const cliNames = (await readdir(cliOut)).filter((n) => n.endsWith('.csv')).sort();
    const a = sortedDigests(awkOut, names);
    const c = sortedDigests(cliOut, cliNames);
    same = JSON.stringify(a) === JSON.stringify(c);
    if (!same) throw new Error(`outputs differ:\nmawk ${JSON.stringify(a)}\ncli  ${JSON.stringify(c)}`);
  }
  const cliWall = median(cli.map((r) => r.seconds));
  const awkWall = median(awk.map((r) => r.seconds));
  const cliRss = median(cli.map((r) => r.rssMb));
  const awkRss = median(awk.map((r) => r.rssMb));
  const cliCpu = median(cli.map((r) => r.cpu));
  const awkCpu = median(awk.map((r) => r.cpu));

  let big;
  if (BIG > 0) {
    console.log(`generating ${BIG.toLocaleString('en-US')} rows ...`);
    const d = await ensureDelivery(BIG, join(OUT, `d${BIG}`));
    await fresh(cliOut);
    const c = timed(cliCommand(d.dir, cliOut));
    await fresh(awkOut);
    const a = timed(awkCommand(d.data, awkOut));
    big = { cli: c, awk: a };
    console.log(
      `${BIG} rows: s3-encrypt ${c.seconds.toFixed(1)} s ${c.rssMb.toFixed(0)} MB | zcat|mawk ${a.seconds.toFixed(1)} s`,
    );
  }

  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const ratio = cliWall / awkWall;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const lines = [
    '# build-manifest benchmark',
    '',
    `Reproduce: \`npm run build && node bench/build-manifest/run.mjs --rows ${ROWS} --runs ${RUNS} --big-rows ${BIG}\``,
    '',
    `Input: one gzipped CSV data file as S3 writes it (no header, every field quoted, keys form-URL-encoded), ${fmt(ROWS)} rows,`,
    `fields \`${FIELDS.join(', ')}\`; mix: 85% current, 3% delete markers, 70% STANDARD / 15% STANDARD_IA / 5% GLACIER /`,
    '5% INTELLIGENT_TIERING / 3% GLACIER_IR / 2% DEEP_ARCHIVE, 30% NOT-SSE / 50% SSE-S3 / 18% SSE-KMS / 1% SSE-C / 1% DSSE-KMS,',
    '0.1% over 5 GiB, 10% of keys with spaces. Generated by `bench/build-manifest/generate.mjs` (deterministic).',
    '',
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average at the end ${load}`,
    '(other work was running on the machine; runs are interleaved so both sides see the same load).',
    '',
    `| ${fmt(ROWS)} rows, median of ${RUNS} | wall | rows/s | CPU (user+sys) | peak RSS |`,
    '|---|---|---|---|---|',
    `| \`s3-encrypt build-manifest --from-dir --out\` | ${cliWall.toFixed(2)} s | ${fmt(ROWS / cliWall)} | ${cliCpu.toFixed(2)} s | ${cliRss.toFixed(0)} MB |`,
    `| \`zcat \\| mawk -F'","' -f filter.awk\` | ${awkWall.toFixed(2)} s | ${fmt(ROWS / awkWall)} | ${awkCpu.toFixed(2)} s | ${awkRss.toFixed(1)} MB |`,
    '',
    `Wall time ratio: ${ratio.toFixed(2)}x (target <= 1.3x: ${ratio <= 1.3 ? 'met' : `MISSED by ${((ratio / 1.3 - 1) * 100).toFixed(0)}%`}).`,
    `Peak RSS: ${cliRss.toFixed(0)} MB (target <= 150 MB: ${cliRss <= 150 ? 'met' : `MISSED by ${(cliRss - 150).toFixed(0)} MB`}).`,
    `Same rows: ${same ? 'yes' : 'NO'} (sorted md5 of every manifest, each run).`,
    '',
    `All runs: s3-encrypt ${cli.map((r) => `${r.seconds.toFixed(2)} s/${r.rssMb.toFixed(0)} MB`).join(', ')}; zcat|mawk ${awk.map((r) => `${r.seconds.toFixed(2)} s`).join(', ')}.`,
    `CPU ratio (load-independent): ${(cliCpu / awkCpu).toFixed(2)}x.`,
  ];
  if (big) {
    const flat = big.cli.rssMb <= Math.max(150, cliRss * 1.15);
    lines.push(
      '',
      `| ${fmt(BIG)} rows, one run | wall | rows/s | CPU (user+sys) | peak RSS |`,
      '|---|---|---|---|---|',
      `| s3-encrypt | ${big.cli.seconds.toFixed(1)} s | ${fmt(BIG / big.cli.seconds)} | ${big.cli.cpu.toFixed(1)} s | ${big.cli.rssMb.toFixed(0)} MB |`,
      `| zcat \\| mawk | ${big.awk.seconds.toFixed(1)} s | ${fmt(BIG / big.awk.seconds)} | ${big.awk.cpu.toFixed(1)} s | ${big.awk.rssMb.toFixed(1)} MB |`,
      '',
      `Peak RSS at ${fmt(BIG)} rows vs ${fmt(ROWS)}: ${big.cli.rssMb.toFixed(0)} MB vs ${cliRss.toFixed(0)} MB (${flat ? 'flat' : 'NOT flat'}).`,
    );
  }
  lines.push(
    '',
    'Notes:',
    '- The CLI process includes Node start-up and loading its bundled files (dist/s3-encrypt.mjs, and',
    '  dist/inflate-worker.mjs on the worker; the AWS SDK is not loaded for an offline run): about 0.1 s before the first row.',
    '- The mawk program implements the same predicate for this field list only, and re-encodes keys with one',
    '  substitution because the benchmark keys use no other escapes (the CLI decodes and re-encodes every key).',
    '- Wall-time ratios depend on machine load. zcat and mawk are two processes, each on a core. The CLI runs',
    '  gunzip and the MD5 check on one shared worker thread, which inflates ahead in 256 KiB batches, while',
    '  the main thread classifies and writes (about 1.0 s of CPU); the worker also finds the field boundaries',
    '  of simply quoted rows (about 0.3 s of its 0.7 s). With both cores busy, total CPU sets the pace.',
    '- Tried, and kept: a hand-rolled quoted-CSV fast path (csv-parse only for rows it cannot prove simple); one',
    '  reused values array and row object per file; interned status/class/bucket-key strings; copy-<CLASS>',
    '  names made once; keys re-encoded without decoding when they need no escaping; latin1 decoding of ASCII',
    '  text in 64 KiB pieces (128 KiB strings go to V8 large-object space); manifest lines gathered as one',
    '  string per input piece and encoded in one call (a third of the per-line Buffer.write cost); gunzip',
    '  and MD5 moved off the main thread (zlib on the main thread cost a round trip through the event loop',
    '  per 64 KiB, about 0.3 s here); batch buffers handed back to the worker; the AWS SDK loaded lazily;',
    '  field boundaries found on the inflate worker, batches cut at newlines (main thread 1.5 -> 1.2 s CPU);',
    '  encodeURIComponent skipped for version ids it leaves as they are, sizes read digit by digit (-0.15 s).',
    '- Tried, and dropped: parsing on a worker thread (the parse is one sequential stream per file, so it',
    '  only moves the bottleneck; +45 MB); hashing on a separate worker (no gain); larger zlib chunks or',
    '  stream high-water marks (no gain, more RSS; retried with the worker indexing rows: still none);',
    '  a 4-bytes-at-a-time quote search on the worker (20% of its scan, about 0.05 s: not worth the code);',
    '  a field the same in every row of a batch (Bucket) made once per piece and checked by identity (main',
    '  thread -0.08 s, worker +0.06 s, wall +5%); credit and buffer return in one message (no gain).',
    '',
  );
  // Formatted as the repository's `prettier --check .` expects.
  const prettier = await import('prettier');
  const md = await prettier.format(lines.join('\n'), {
    parser: 'markdown',
    ...(await prettier.resolveConfig(ROOT)),
  });
  await writeFile(join(HERE, 'RESULTS.md'), md);
  // The 20M-row outputs take about 2 GB; the generated inputs stay cached for the next run.
  await rm(cliOut, { recursive: true, force: true });
  await rm(awkOut, { recursive: true, force: true });
  console.log(lines.join('\n'));
}

await main();
