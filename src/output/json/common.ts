import { z } from 'zod';
import type { Notes } from './strict.js';

/** A count of objects and the bytes they hold (the tool's usual pair). */
export const CountBytes = z
  .strictObject({
    objects: z.number().int().nonnegative().describe('number of objects'),
    bytes: z.number().nonnegative().describe('their sizes added up, in bytes'),
  })
  .describe('objects and bytes');

export const NonNegativeInt = z.number().int().nonnegative();

/** Descriptions of src/core's own objects-and-bytes pairs (for strictDeep). */
export function countBytesNotes(what: string): Notes {
  return { $: what, objects: 'number of objects', bytes: 'their sizes added up, in bytes' };
}
