// What integration tests call to reach the server their tier's global setup started (or that the
// user pointed at with S3E_MOTO_* / S3E_RGW_* variables). See global-setup.ts.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Target } from './target.js';

export type { Target } from './target.js';

/** The S3 endpoint of this run's tier; throws when no global setup provided one. */
export function target(): Target {
  const t = inject('s3eTarget');
  if (!t || !t.endpoint) {
    throw new Error(
      'No S3 target: run integration tests through vitest.moto.config.ts / vitest.rgw.config.ts / ' +
        'vitest.seaweedfs.config.ts (globalSetup test/int/support/global-setup.ts with S3E_TIER=moto|rgw|seaweedfs).',
    );
  }
  return t;
}

/**
 * A fresh, valid S3 bucket name: lowercase letters, digits and '-', 3..63 chars, starting and
 * ending with a letter or digit, `prefix` (sanitised, truncated) followed by a random suffix.
 */
export function uniqueBucket(prefix: string): string {
  const suffix = `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
  let p = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '');
  p = p.slice(0, 63 - 1 - suffix.length).replace(/-+$/, '');
  return p ? `${p}-${suffix}` : `s3e-${suffix}`;
}

/** The AWS_* variables (and only those) a CLI child process needs to sign requests for `t`. */
export function targetEnv(t: Target): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: t.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.secretAccessKey,
    AWS_REGION: t.region,
  };
}
