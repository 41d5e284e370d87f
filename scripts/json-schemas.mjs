// Writes docs/json/<name>.schema.json: the JSON Schemas (draft 2020-12) derived from the zod
// schemas of the CLI's --json output (src/output/json/). `npm run json-schemas`; a unit test
// (test/output/json/published-schemas.test.ts) fails when a file here differs from what the
// zod schemas derive. The TypeScript is bundled by esbuild (zod stays a package import).
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(ROOT, 'docs/json');
const tmp = resolve(ROOT, '.local/json-schemas-publish.mjs');

await mkdir(dirname(tmp), { recursive: true });
await build({
  entryPoints: [resolve(ROOT, 'src/output/json/publish.ts')],
  outfile: tmp,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
const { publishedSchemas } = await import(pathToFileURL(tmp).href);
await rm(tmp);
await mkdir(OUT, { recursive: true });
const files = publishedSchemas();
const keep = new Set(files.map((f) => f.file));
// A schema that no longer exists must not stay published.
for (const f of await readdir(OUT)) if (f.endsWith('.schema.json') && !keep.has(f)) await rm(resolve(OUT, f));
for (const f of files) {
  const path = resolve(OUT, f.file);
  // Laid out as `prettier --check` wants it (npm run lint checks docs/ too).
  const options = { ...(await resolveConfig(path)), parser: 'json' };
  await writeFile(path, await format(JSON.stringify(f.schema), options));
}
console.log(`docs/json: ${files.length} schemas written`);
