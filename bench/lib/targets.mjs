// Where the benchmarks run: the shared local servers described in .local/{moto,rgw}.env. The
// benchmarks never start or stop them, and refuse any endpoint that is not loopback.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function readEnvFile(path) {
  const vars = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  return vars;
}

/** The endpoint and credentials of `tier` ('moto' | 'rgw'); throws with a fix if it is missing. */
export function target(tier) {
  const file = resolve(ROOT, '.local', `${tier}.env`);
  let v;
  try {
    v = readEnvFile(file);
  } catch {
    throw new Error(`${file} not found: start the local servers first (scripts/local-s3/${tier}.sh start)`);
  }
  const P = `S3E_${tier.toUpperCase()}_`;
  const endpoint = (v[`${P}ENDPOINT`] ?? '').replace(/\/+$/, '');
  const host = URL.canParse(endpoint) ? new URL(endpoint).hostname : '';
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(
      `${file}: endpoint "${endpoint}" is not loopback; the benchmarks run against 127.0.0.1 only`,
    );
  return {
    tier,
    endpoint,
    region: v[`${P}REGION`] || 'us-east-1',
    accessKeyId: v[`${P}ACCESS_KEY`] || 'testing',
    secretAccessKey: v[`${P}SECRET_KEY`] || 'testing',
    kmsKeyIds: (v[`${P}KMS_KEYS`] ?? '').split(',').filter(Boolean),
  };
}

/** The only environment a child process (CLI, raw client, awscli) gets: no profiles, no tokens. */
export function childEnv(t, extra = {}) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: t.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.secretAccessKey,
    AWS_REGION: t.region,
    AWS_DEFAULT_REGION: t.region,
    ...extra,
  };
}
