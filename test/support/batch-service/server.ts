// A local S3 Batch Operations service: the S3 Control job API the CLI uses (CreateJob,
// DescribeJob, ListJobs, UpdateJobStatus; REST-XML on /v20180820/jobs, the account from
// x-amz-account-id), SigV4 checked against the test credentials, every CreateJob validated
// against AWS's model (checkInput), and each job executed against an S3 store (moto or Ceph RGW).
// It stands in for AWS in tests and the demo only; it listens on 127.0.0.1 and nowhere else.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateJobRequest } from '@aws-sdk/client-s3-control';
import { checkInput } from '../aws-model/check-input.js';
import { IdempotencyError, JobRegistry } from './jobs.js';
import { checkSignature, type Credentials } from './signature.js';
import { storeClient, type StoreConfig } from './store.js';
import { errorXml, readCreateJob, shapes, writeShape } from './wire.js';

export interface BatchServiceOptions {
  store: StoreConfig;
  /** The credentials requests must be signed with (the tier's test credentials). */
  credentials: Credentials;
  port?: number;
}

export interface BatchService {
  /** http://localhost:PORT: the SDK puts the account id in front of the host ({AccountId}.localhost). */
  url: string;
  port: number;
  /** The address it listens on (always 127.0.0.1). */
  address: string;
  registry: JobRegistry;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

function send(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_BODY) return undefined;
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export async function startBatchService(opts: BatchServiceOptions): Promise<BatchService> {
  const registry = new JobRegistry(storeClient(opts.store), opts.store.region);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const fail = (status: number, code: string, message: string) =>
      send(res, status, errorXml(code, message, requestId), requestId);
    const body = await readBody(req);
    if (!body) return fail(400, 'MaxMessageLengthExceeded', 'Your request was too big.');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : (v ?? '');
    const sig = await checkSignature(
      { method: req.method ?? 'GET', path: rawPath, query: url.searchParams, headers, body },
      opts.credentials,
    );
    if (!sig.ok) return fail(403, sig.code, sig.message);
    // S3 Control is regional: a job lives in the region whose endpoint created it, and this
    // service runs jobs in its store's region only. Asked for another region, it has no jobs
    // there (as AWS would answer) and creates none.
    const here = sig.region === opts.store.region;

    const accountId = headers['x-amz-account-id'] ?? '';
    const m = /^\/v20180820\/jobs(?:\/([^/]+))?(\/status)?$/.exec(url.pathname);
    if (!m) return fail(404, 'NotImplemented', `this local service has no ${req.method} ${url.pathname}`);
    const [, jobId, statusPath] = m;
    const violations = (operation: string, input: unknown) => {
      const v = checkInput('s3control', operation, input);
      if (v.length === 0) return false;
      fail(400, 'InvalidRequest', v.map((x) => `${x.path}: ${x.rule}: ${x.message}`).join('; '));
      return true;
    };

    if (req.method === 'POST' && !jobId) {
      let parsed: Record<string, unknown>;
      try {
        parsed = readCreateJob(body);
      } catch (err) {
        return fail(
          400,
          'MalformedXML',
          `The XML you provided was not well-formed: ${(err as Error).message}`,
        );
      }
      const input = { AccountId: accountId, ...parsed } as CreateJobRequest;
      if (violations('CreateJob', input)) return;
      if (!here)
        return fail(
          400,
          'InvalidRequest',
          `this local S3 Batch service runs jobs in ${opts.store.region} only, not ${sig.region}`,
        );
      try {
        const job = registry.create(input);
        return send(res, 200, writeShape(shapes.CreateJobResult, { JobId: job.jobId }), requestId);
      } catch (err) {
        if (err instanceof IdempotencyError) return fail(409, 'IdempotencyException', err.message);
        throw err;
      }
    }
    if (req.method === 'GET' && !jobId) {
      const input = {
        AccountId: accountId,
        ...(url.searchParams.getAll('jobStatuses').length
          ? { JobStatuses: url.searchParams.getAll('jobStatuses') }
          : {}),
        ...(url.searchParams.get('maxResults')
          ? { MaxResults: Number(url.searchParams.get('maxResults')) }
          : {}),
        ...(url.searchParams.get('nextToken') ? { NextToken: url.searchParams.get('nextToken') } : {}),
      };
      if (violations('ListJobs', input)) return;
      // pages of MaxResults (AWS's default and cap: 1000), NextToken = the offset of the next page
      const all = here ? registry.list(accountId, input.JobStatuses ?? []) : [];
      const from = Number(input.NextToken ?? 0) || 0;
      const size = Math.min(input.MaxResults ?? 1000, 1000);
      const page = all.slice(from, from + size).map((j) => registry.listed(j));
      const next = from + size < all.length ? { NextToken: String(from + size) } : {};
      return send(res, 200, writeShape(shapes.ListJobsResult, { Jobs: page, ...next }), requestId);
    }
    if (!jobId) return fail(405, 'MethodNotAllowed', `${req.method} is not allowed on /v20180820/jobs`);
    if (req.method === 'GET' && !statusPath) {
      if (violations('DescribeJob', { AccountId: accountId, JobId: jobId })) return;
      const job = here ? registry.get(accountId, jobId) : undefined;
      if (!job) return fail(404, 'NotFoundException', 'No such job');
      return send(res, 200, writeShape(shapes.DescribeJobResult, { Job: registry.describe(job) }), requestId);
    }
    if (req.method === 'POST' && statusPath) {
      const requested = url.searchParams.get('requestedJobStatus') ?? '';
      const reason = url.searchParams.get('statusUpdateReason') ?? undefined;
      const input = {
        AccountId: accountId,
        JobId: jobId,
        RequestedJobStatus: requested,
        ...(reason ? { StatusUpdateReason: reason } : {}),
      };
      if (violations('UpdateJobStatus', input)) return;
      const job = here ? registry.get(accountId, jobId) : undefined;
      if (!job) return fail(404, 'NotFoundException', 'No such job');
      const refused = registry.update(job, requested, reason);
      if (refused) return fail(400, 'JobStatusException', refused);
      return send(
        res,
        200,
        writeShape(shapes.UpdateJobStatusResult, {
          JobId: job.jobId,
          Status: job.status,
          StatusUpdateReason: reason,
        }),
        requestId,
      );
    }
    return fail(405, 'MethodNotAllowed', `${req.method} is not allowed here`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, errorXml('InternalError', String(err), 'local'), 'local');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    address,
    registry,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
