import { z } from 'zod';

/**
 * Field descriptions for a schema written elsewhere (src/core keeps its own as comments): a
 * string describes a field; a nested Notes describes the fields of the object (or of the array's
 * or record's elements, or of the union's members) under it, `$` the field itself.
 */
export interface Notes {
  [field: string]: string | Notes;
}

/**
 * A copy of `schema` in which every object is strict (an unknown key is an error, and the JSON
 * Schema says `additionalProperties: false`), with `notes` added as descriptions.
 *
 * Why: src/core's schemas of audit's records and build-manifest's summary.json also read
 * documents from users (summary.json comes back to create-job and encrypt), where a key a later
 * version adds must not be an error; the output contract is stricter: the CLI writes no key the
 * published schema does not name. Checks (min, int, ...) and descriptions already on the schema
 * are kept.
 */
export function strictDeep<T extends z.ZodType>(schema: T, notes: Notes = {}): T {
  return rebuild(schema, notes) as T;
}

function rebuild(schema: z.ZodType, notes: Notes): z.ZodType {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  let out: z.ZodType;
  switch (def.type) {
    case 'object': {
      const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
      const next: Record<string, z.ZodType> = {};
      for (const [k, v] of Object.entries(shape)) {
        const n = notes[k];
        const child = rebuild(v, typeof n === 'object' ? n : {});
        const text = typeof n === 'string' ? n : typeof n?.$ === 'string' ? n.$ : undefined;
        next[k] = text !== undefined ? child.describe(text) : child;
      }
      out = z.strictObject(next);
      break;
    }
    case 'optional':
      out = rebuild(def.innerType as z.ZodType, notes).optional();
      break;
    case 'nullable':
      out = rebuild(def.innerType as z.ZodType, notes).nullable();
      break;
    case 'array':
      out = schema.clone({ ...schema._zod.def, element: rebuild(def.element as z.ZodType, notes) } as never);
      break;
    case 'record':
      out = schema.clone({
        ...schema._zod.def,
        valueType: rebuild(def.valueType as z.ZodType, notes),
      } as never);
      break;
    case 'union':
      out = schema.clone({
        ...schema._zod.def,
        options: (def.options as z.ZodType[]).map((o) => rebuild(o, notes)),
      } as never);
      break;
    default:
      return schema;
  }
  const meta = z.globalRegistry.get(schema);
  return meta ? out.meta(meta) : out;
}
