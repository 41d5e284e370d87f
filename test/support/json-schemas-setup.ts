// vitest globalSetup (every tier): counts which published JSON schemas the run's --json output
// exercised (json-output-check.ts writes what each test process saw) and says so in one line;
// .local/json-schemas-<tier>.json keeps the counts. With S3E_JSON_SCHEMAS_ALL=1 (a whole tier),
// a schema no captured output exercised fails the run.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_DOCUMENTS } from '../../src/output/json/index.js';
import { seenDir, VARIANTS } from './json-output-check.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export default function setup(): () => void {
  const tier = process.env.S3E_TIER ?? 'unit';
  process.env.S3E_JSON_SEEN_DIR = resolve(ROOT, '.local/json-schemas', `${tier}-${process.pid}`);
  const dir = seenDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return () => {
    // name -> the test files whose captured output exercised it
    const seen = new Map<string, Set<string>>();
    const variants = new Set<string>();
    for (const f of readdirSync(dir))
      for (const line of readFileSync(resolve(dir, f), 'utf8').split('\n')) {
        const [name, file, variant] = line.split(' ');
        if (!name) continue;
        const files = seen.get(name) ?? new Set<string>();
        if (file) files.add(file);
        seen.set(name, files);
        if (variant) variants.add(`${name}/${variant}`);
      }
    const all = JSON_DOCUMENTS.map((d) => d.name);
    const allVariants = Object.entries(VARIANTS).flatMap(([n, vs]) => (vs ?? []).map((v) => `${n}/${v}`));
    const missing = [...all.filter((n) => !seen.has(n)), ...allVariants.filter((v) => !variants.has(v))];
    rmSync(dir, { recursive: true, force: true });
    const exercisedBy = Object.fromEntries(
      all.filter((n) => seen.has(n)).map((n) => [n, [...(seen.get(n) ?? [])].sort()]),
    );
    writeFileSync(
      resolve(ROOT, '.local', `json-schemas-${tier}.json`),
      `${JSON.stringify({ tier, missing, branches: [...variants].sort(), exercisedBy }, null, 2)}\n`,
    );
    console.log(
      `json schemas (${tier}): ${all.filter((n) => seen.has(n)).length}/${all.length} exercised by --json output, ${variants.size}/${allVariants.length} of their branches${missing.length > 0 ? `; not seen: ${missing.join(', ')}` : ''}`,
    );
    if (missing.length > 0 && process.env.S3E_JSON_SCHEMAS_ALL === '1')
      throw new Error(`json schemas (${tier}): no --json output exercised ${missing.join(', ')}`);
  };
}
