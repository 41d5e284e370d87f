#!/usr/bin/env node
// Summarise a V8 .cpuprofile (node --cpu-prof): self time by package and by function, so a
// benchmark gap can be traced to the layer that spends the CPU.
//   node bench/lib/prof-summary.mjs bench/out/prof/CPU.*.cpuprofile [topN]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: prof-summary.mjs FILE.cpuprofile [topN]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++)
  dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));

function pkgOf(url) {
  if (!url) return '(native/gc/idle)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('/dist/')) return 's3-encrypt dist/';
  return url.replace(/^file:\/\/\/work\/main\//, '');
}
const byPkg = new Map();
const byFn = new Map();
let total = 0;
for (const [id, us] of dt) {
  const n = byId.get(id);
  const cf = n.callFrame;
  total += us;
  const pkg = cf.functionName === '(idle)' ? '(idle)' : pkgOf(cf.url);
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  const fn = `${cf.functionName || '(anon)'} ${pkgOf(cf.url)}:${cf.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + us);
}
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`,
    );
};
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
show('self time by package', byPkg);
show('self time by function', byFn);
