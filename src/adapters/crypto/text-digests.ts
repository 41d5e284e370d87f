import { createHash } from 'node:crypto';
import type { TextDigests } from '../../core/batch/ports.js';

/** Node's hashes of UTF-8 text, for the core (which does no crypto itself). */
export const textDigests: TextDigests = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  md5Hex: (text) => createHash('md5').update(text, 'utf8').digest('hex'),
};
