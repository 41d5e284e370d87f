// docs/json/ is what CI users validate s3-encrypt's --json output with: it must say exactly what
// the zod schemas in src/output/json/ derive (regenerate with `npm run json-schemas`).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JSON_DOCUMENTS } from '../../../src/output/json/index.js';
import { JSON_SCHEMA_DIALECT, publishedSchemas } from '../../../src/output/json/publish.js';

const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/json');
const FIX = 'run `npm run json-schemas` and commit docs/json/';

describe('docs/json (published JSON Schemas)', () => {
  it('holds exactly one file per schema, each saying what the zod schema derives', () => {
    const published = publishedSchemas();
    const files = readdirSync(DOCS).filter((f) => f.endsWith('.schema.json'));
    expect(files.sort(), `docs/json/*.schema.json: ${FIX}`).toEqual(published.map((p) => p.file).sort());
    for (const p of published) {
      const onDisk = JSON.parse(readFileSync(resolve(DOCS, p.file), 'utf8')) as unknown;
      expect(onDisk, `docs/json/${p.file} differs from the zod schema "${p.name}": ${FIX}`).toEqual(p.schema);
    }
  });

  it('are draft 2020-12 documents with an $id, a title and a description each', () => {
    for (const p of publishedSchemas()) {
      expect(p.schema.$schema).toBe(JSON_SCHEMA_DIALECT);
      expect(p.schema.$id).toBe(`urn:s3-encrypt:json:${p.name}`);
      expect(typeof p.schema.title).toBe('string');
      expect(p.schema.description, `${p.name} has no description`).toEqual(expect.any(String));
    }
  });

  it('describe every field they name (the published schemas document the output)', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const s = node as Record<string, unknown>;
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof v.description !== 'string') undescribed.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
      for (const k of ['items', 'additionalProperties']) walk(s[k], `${path}[]`);
      for (const k of ['anyOf', 'oneOf']) for (const x of (s[k] ?? []) as unknown[]) walk(x, path);
    };
    for (const p of publishedSchemas()) walk(p.schema, p.name);
    expect(undescribed, 'fields without .describe()').toEqual([]);
  });

  it('names are unique, and docs/json/README.md says which command writes each', () => {
    const names = JSON_DOCUMENTS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    const readme = readFileSync(resolve(DOCS, 'README.md'), 'utf8');
    for (const d of JSON_DOCUMENTS)
      expect(readme, `docs/json/README.md lacks ${d.name}`).toContain(`\`${d.name}\``);
  });
});
