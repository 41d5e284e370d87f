// An S3 Control client for the local S3 Batch Operations service, for tests that arrange or
// inspect jobs beside the CLI. It reaches the service as the CLI does: the SDK's own endpoint
// setting, the account id the SDK puts in front of the host, names under localhost on loopback.
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { localhostLookup } from '../../../src/adapters/aws/transport/localhost-lookup.js';
import { batchEndpoint } from '../support/batch-target.js';
import type { Target } from '../support/target.js';

export function controlFor(t: Target, over: { secretAccessKey?: string } = {}): S3ControlClient {
  return new S3ControlClient({
    region: t.region,
    endpoint: batchEndpoint(),
    credentials: { accessKeyId: t.accessKeyId, secretAccessKey: over.secretAccessKey ?? t.secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: false, lookup: localhostLookup } }),
    maxAttempts: 1,
  });
}

/** Polls DescribeJob until the job ends (Complete, Failed, Cancelled). */
export async function jobEnd(c: S3ControlClient, accountId: string, jobId: string, ms = 60_000) {
  const { DescribeJobCommand } = await import('@aws-sdk/client-s3-control');
  const until = Date.now() + ms;
  for (;;) {
    const out = await c.send(new DescribeJobCommand({ AccountId: accountId, JobId: jobId }));
    const job = out.Job;
    if (job && ['Complete', 'Failed', 'Cancelled'].includes(job.Status ?? '')) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job?.Status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
