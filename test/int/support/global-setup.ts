// vitest globalSetup for the integration tiers (vitest 4 API: default export setup(project)
// returning the teardown). The tier comes from S3E_TIER = moto | rgw | seaweedfs (the config's
// `test.env` or the process environment).
//
// - If the user points at an endpoint (moto: S3E_MOTO_ENDPOINT; rgw: S3E_RGW_ENDPOINT,
//   S3E_RGW_ACCESS_KEY, S3E_RGW_SECRET_KEY, S3E_RGW_KMS_KEYS; seaweedfs: the same with
//   S3E_SEAWEEDFS_), that endpoint is used and nothing is started or stopped.
// - Else, if scripts/local-s3/<tier>.sh reports a running server, it is reused (and left running).
// - Else `<tier>.sh start` runs, .local/<tier>.env is read, and the teardown runs `<tier>.sh stop`.
// Any failure throws: the run fails, it never skips.
// The Target reaches the tests through project.provide('s3eTarget', ...) / inject (servers.ts).
// Its endpoint is a conformance proxy in front of the server (conformance-setup.ts): every request
// the tests send is checked against AWS's own models, and any violation fails the run.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type {} from './batch-target.js';
import { checkConformance } from './conformance-setup.js';
import type { Target, Tier } from './target.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const START_TIMEOUT_MS = 180_000;

type Vars = Record<string, string | undefined>;

function run(
  tier: Tier | 'batch',
  action: 'start' | 'stop' | 'status',
  ...extra: string[]
): Promise<{ code: number; out: string }> {
  const script = resolve(ROOT, 'scripts/local-s3', `${tier}.sh`);
  return new Promise((done) => {
    execFile(
      'bash',
      [script, action, ...extra],
      { cwd: ROOT, timeout: START_TIMEOUT_MS, maxBuffer: 4 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, out: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

async function readEnvFile(path: string): Promise<Vars> {
  const vars: Vars = {};
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) vars[m[1]] = m[2] ?? '';
  }
  return vars;
}

function fromVars(tier: Tier, v: Vars): Target {
  const req = (k: string): string => {
    const val = v[k];
    if (!val) throw new Error(`s3e global setup (${tier}): ${k} is not set`);
    return val;
  };
  if (tier === 'moto') {
    return {
      tier,
      endpoint: req('S3E_MOTO_ENDPOINT').replace(/\/+$/, ''),
      region: v.S3E_MOTO_REGION || 'us-east-1',
      accessKeyId: v.S3E_MOTO_ACCESS_KEY || 'testing',
      secretAccessKey: v.S3E_MOTO_SECRET_KEY || 'testing',
      kmsKeyIds: [],
    };
  }
  const P = tier === 'rgw' ? 'S3E_RGW' : 'S3E_SEAWEEDFS';
  return {
    tier,
    endpoint: req(`${P}_ENDPOINT`).replace(/\/+$/, ''),
    region: v[`${P}_REGION`] || 'us-east-1',
    accessKeyId: req(`${P}_ACCESS_KEY`),
    secretAccessKey: req(`${P}_SECRET_KEY`),
    kmsKeyIds: req(`${P}_KMS_KEYS`)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** Throws unless something answers HTTP at the endpoint (any status). */
async function probe(t: Target): Promise<void> {
  try {
    await fetch(`${t.endpoint}/`, { signal: AbortSignal.timeout(5_000) });
  } catch (e) {
    throw new Error(`s3e global setup (${t.tier}): nothing answers at ${t.endpoint}: ${String(e)}`, {
      cause: e,
    });
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tierRaw = project.config.env?.S3E_TIER ?? process.env.S3E_TIER;
  if (tierRaw !== 'moto' && tierRaw !== 'rgw' && tierRaw !== 'seaweedfs') {
    throw new Error(
      `s3e global setup: S3E_TIER must be 'moto', 'rgw' or 'seaweedfs' (got ${JSON.stringify(tierRaw)})`,
    );
  }
  const tier: Tier = tierRaw;
  const log = (msg: string) => console.error(`[s3e ${tier}] ${msg}`);

  let started = false;
  let t: Target;
  const userEndpoint = {
    moto: process.env.S3E_MOTO_ENDPOINT,
    rgw: process.env.S3E_RGW_ENDPOINT,
    seaweedfs: process.env.S3E_SEAWEEDFS_ENDPOINT,
  }[tier];
  if (userEndpoint) {
    t = fromVars(tier, process.env);
    log(`using ${t.endpoint} from the environment (nothing started)`);
  } else {
    const status = await run(tier, 'status');
    if (status.code === 0) {
      log(`reusing the running server (left running at teardown)`);
    } else {
      const t0 = Date.now();
      const res = await run(tier, 'start');
      if (res.code !== 0) {
        throw new Error(
          `s3e global setup: scripts/local-s3/${tier}.sh start failed (exit ${res.code}). ` +
            `Did you run scripts/local-s3/install.sh?\n${res.out}`,
        );
      }
      started = true;
      log(`started in ${Date.now() - t0} ms: ${res.out.split('\n').pop() ?? ''}`);
    }
    t = fromVars(tier, await readEnvFile(resolve(ROOT, '.local', `${tier}.env`)));
  }

  try {
    await probe(t);
  } catch (e) {
    if (started) await run(tier, 'stop');
    throw e;
  }
  const conformance = await checkConformance(tier, t.endpoint, log);
  project.provide('s3eTarget', { ...t, endpoint: conformance.endpoint });

  // The local S3 Batch Operations service runs this tier's jobs against its store (batch.sh reads
  // .local/<tier>.env). A user-given endpoint has no such file: then S3E_BATCH_ENDPOINT must name
  // a service, or the Batch tests fail (never skip).
  // The SeaweedFS tier has no Batch tests (no *.seaweedfs.test.ts uses batchEndpoint(), and
  // batch.sh serves moto and RGW only): no service is started for it, and batchEndpoint() throws
  // there, so a Batch test added to the tier fails loudly instead of running against nothing.
  let batchStarted = false;
  let batchEndpoint = tier === 'seaweedfs' ? '' : (process.env.S3E_BATCH_ENDPOINT ?? '');
  if (!batchEndpoint && !userEndpoint && tier !== 'seaweedfs') {
    const t0 = Date.now();
    // a service left running may serve another store: start our own for this tier
    await run('batch', 'stop');
    const res = await run('batch', 'start', tier);
    if (res.code !== 0) {
      if (started) await run(tier, 'stop');
      throw new Error(
        `s3e global setup: scripts/local-s3/batch.sh start ${tier} failed (exit ${res.code})\n${res.out}`,
      );
    }
    batchStarted = true;
    batchEndpoint = (await readEnvFile(resolve(ROOT, '.local', 'batch.env'))).S3E_BATCH_ENDPOINT ?? '';
    log(`batch service started in ${Date.now() - t0} ms at ${batchEndpoint}`);
  }
  // S3 Control requests go through a conformance proxy of their own. Its address is named
  // `localhost`, as the service's is: the SDK puts the account id in front of an S3 Control host
  // (123456789012.localhost), which the CLI's lookup sends to loopback; an IP address would not do.
  const batchConformance = batchEndpoint
    ? await checkConformance(`${tier}-s3control`, batchEndpoint.replace('localhost', '127.0.0.1'), log)
    : undefined;
  project.provide(
    's3eBatchEndpoint',
    batchConformance ? batchConformance.endpoint.replace('127.0.0.1', 'localhost') : batchEndpoint,
  );

  return async () => {
    let stopError: Error | undefined;
    if (batchStarted) {
      const res = await run('batch', 'stop');
      if (res.code !== 0) stopError = new Error(`s3e global teardown: batch.sh stop failed: ${res.out}`);
    }
    if (started) {
      const res = await run(tier, 'stop');
      if (res.code !== 0) stopError ??= new Error(`s3e global teardown: ${tier}.sh stop failed: ${res.out}`);
      else log('stopped');
    }
    await batchConformance?.finish(); // S3 Control requests, checked as the store's are
    await conformance.finish(); // throws, listing them, when a request broke AWS's models
    if (stopError) throw stopError;
  };
}
