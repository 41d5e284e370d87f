import { z } from 'zod';
import type { OrgAccount } from '../../../core/audit/ports.js';
import { bodyText } from '../transport/lean-response.js';
import type { AwsClients } from '../transport/clients.js';
import { call } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';
import type { Readable } from 'node:stream';

/** Organizations is a global service with one endpoint (and signing region) per partition. */
const GLOBAL_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-northwest-1',
  'aws-us-gov': 'us-gov-west-1',
};

const Page = z.object({
  Accounts: z
    .array(
      z.object({
        Id: z.string().regex(/^\d{12}$/),
        Name: z.string().optional(),
        Status: z.string().optional(),
        State: z.string().optional(),
      }),
    )
    .default([]),
  NextToken: z.string().nullish(),
});

/**
 * Organizations ListAccounts, every page. @aws-sdk/client-organizations is not among our
 * dependencies for this one read-only call, so it is sent as that client would (AWS JSON 1.1,
 * `X-Amz-Target: AWSOrganizationsV20161128.ListAccounts`), signed by the SDK's own SigV4 signer
 * with the STS client's credentials, hash and request handler (its limits and the run's
 * interrupt). Failures are rebuilt as SDK-shaped errors (`name` = the service's code,
 * `$metadata`) so the one error mapping applies: AccessDenied names organizations:ListAccounts.
 */
export async function listOrganizationAccounts(aws: AwsClients, partition = 'aws'): Promise<OrgAccount[]> {
  const region = GLOBAL_REGION[partition] ?? 'us-east-1';
  const host =
    partition === 'aws-cn'
      ? 'organizations.cn-northwest-1.amazonaws.com.cn'
      : `organizations.${region}.amazonaws.com`;
  const url = new URL(aws.config.endpoint ?? `https://${host}`);
  const cfg = aws.sts.config as unknown as {
    credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
    sha256: ConstructorParameters<typeof sdk.signer.SignatureV4>[0]['sha256'];
    requestHandler: {
      handle(
        req: unknown,
      ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }>;
    };
  };
  const signer = new sdk.signer.SignatureV4({
    credentials: cfg.credentials,
    region,
    service: 'organizations',
    sha256: cfg.sha256,
  });
  const ctx = { action: 'organizations:ListAccounts', region, endpoint: aws.config.endpoint };
  const accounts: OrgAccount[] = [];
  let token: string | undefined;
  do {
    const body = JSON.stringify(token ? { NextToken: token } : {});
    const page = await call(ctx, async () => {
      const request = new sdk.transport.HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        headers: {
          host: url.host,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts',
          'content-length': String(Buffer.byteLength(body)),
        },
        body,
      });
      const signed = await signer.sign(request);
      const { response } = await cfg.requestHandler.handle(signed);
      const text = await bodyText(response.body, 10 * 1024 * 1024);
      if (response.statusCode !== 200) throw serviceError(response.statusCode, text);
      return Page.parse(JSON.parse(text));
    });
    for (const a of page.Accounts)
      accounts.push({ id: a.Id, name: a.Name, status: a.Status ?? a.State ?? 'ACTIVE' });
    token = page.NextToken ?? undefined;
  } while (token);
  return accounts;
}

/** A JSON-protocol error as the SDK would throw it: the code from `__type` (after any `#`). */
function serviceError(status: number, text: string): Error {
  let code = status === 403 ? 'AccessDenied' : `HTTP${status}`;
  let message = text.slice(0, 300);
  try {
    const doc = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
    if (doc.__type) code = doc.__type.replace(/^.*#/, '');
    message = doc.message ?? doc.Message ?? message;
  } catch {
    // not JSON: the status names it
  }
  if (code === 'AccessDeniedException') code = 'AccessDenied';
  return Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: status } });
}
