// vitest globalSetup (every tier): counts which published JSON schemas the run's --json output
// exercised (json-output-check.ts writes what each test process saw) and says so in one line;
// .local/json-schemas-<tier>.json keeps the counts. With S3E_JSON_SCHEMAS_ALL=1 (a whole tier),
// a schema no captured output exercised fails the run.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_DOCUMENTS } from '../../src/output/json/index.js';
import { seenDir } from './json-output-check.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export default function setup(): () => void {
  const tier = process.env.S3E_TIER ?? 'unit';
  process.env.S3E_JSON_SEEN_DIR = resolve(ROOT, '.local/json-schemas', `${tier}-${process.pid}`);
  const dir = seenDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return () => {
    const seen = new Set<string>();
    for (const f of readdirSync(dir))
      for (const name of readFileSync(resolve(dir, f), 'utf8').split('\n')) if (name) seen.add(name);
    const all = JSON_DOCUMENTS.map((d) => d.name);
    const missing = all.filter((n) => !seen.has(n));
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(
      resolve(ROOT, '.local', `json-schemas-${tier}.json`),
      `${JSON.stringify({ tier, seen: all.filter((n) => seen.has(n)), missing }, null, 2)}\n`,
    );
    console.log(
      `json schemas (${tier}): ${all.length - missing.length}/${all.length} exercised by --json output${missing.length > 0 ? `; not seen: ${missing.join(', ')}` : ''}`,
    );
    if (missing.length > 0 && process.env.S3E_JSON_SCHEMAS_ALL === '1')
      throw new Error(`json schemas (${tier}): no --json output exercised ${missing.join(', ')}`);
  };
}
