import { z } from 'zod';
import { JSON_DOCUMENTS } from './index.js';

/**
 * The JSON Schemas (draft 2020-12) published in docs/json/ for CI users, derived from the zod
 * schemas: `npm run json-schemas` writes them (laid out by prettier), a unit test fails when a
 * file says anything else.
 * The ids are names (URNs), not addresses: the files belong to the release that writes the output.
 */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export function schemaFileName(name: string): string {
  return `${name}.schema.json`;
}

export function publishedSchemas(): { name: string; file: string; schema: Record<string, unknown> }[] {
  return JSON_DOCUMENTS.map((d) => {
    const derived = z.toJSONSchema(d.schema, {
      target: 'draft-2020-12',
      io: 'output',
      unrepresentable: 'throw',
    }) as Record<string, unknown>;
    const { $schema: _dialect, ...body } = derived;
    const doc = {
      $schema: JSON_SCHEMA_DIALECT,
      $id: `urn:s3-encrypt:json:${d.name}`,
      title: `s3-encrypt ${d.title}`,
      ...body,
    };
    return { name: d.name, file: schemaFileName(d.name), schema: doc };
  });
}
