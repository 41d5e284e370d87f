import type { Readable } from 'node:stream';
import type { CopyObjectCommandInput } from '@aws-sdk/client-s3';
import type { LeanSend } from './lean-head.js';

/**
 * The headers the SDK's CopyObjectCommand sends for the fields the engine uses (a test compares
 * both on the wire), minus its own bookkeeping (user agent, invocation id).
 */
export function copyHeaders(input: CopyObjectCommandInput, contentMd5?: string): Record<string, string> {
  const h: Record<string, string> = {};
  const set = (name: string, value: string | boolean | Date | undefined): void => {
    if (value === undefined) return;
    h[name] = value instanceof Date ? value.toISOString() : String(value);
  };
  set('x-amz-copy-source', input.CopySource);
  set('x-amz-copy-source-if-match', input.CopySourceIfMatch);
  set('if-match', input.IfMatch);
  set('x-amz-metadata-directive', input.MetadataDirective);
  set('x-amz-tagging-directive', input.TaggingDirective);
  set('x-amz-server-side-encryption', input.ServerSideEncryption);
  set('x-amz-storage-class', input.StorageClass);
  set('x-amz-website-redirect-location', input.WebsiteRedirectLocation);
  set('x-amz-server-side-encryption-aws-kms-key-id', input.SSEKMSKeyId);
  set('x-amz-server-side-encryption-bucket-key-enabled', input.BucketKeyEnabled);
  set('x-amz-object-lock-mode', input.ObjectLockMode);
  set('x-amz-object-lock-retain-until-date', input.ObjectLockRetainUntilDate);
  set('x-amz-object-lock-legal-hold', input.ObjectLockLegalHoldStatus);
  set('content-md5', contentMd5);
  return h;
}

/** The fields of CopyObjectCommandInput that copyHeaders() knows; any other means "use the SDK". */
const KNOWN = new Set([
  'Bucket',
  'Key',
  'CopySource',
  'CopySourceIfMatch',
  'IfMatch',
  'MetadataDirective',
  'TaggingDirective',
  'ServerSideEncryption',
  'StorageClass',
  'WebsiteRedirectLocation',
  'SSEKMSKeyId',
  'BucketKeyEnabled',
  'ObjectLockMode',
  'ObjectLockRetainUntilDate',
  'ObjectLockLegalHoldStatus',
]);

async function text(body: Readable | undefined): Promise<string> {
  if (!body) return '';
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

const tag = (xml: string, name: string): string | undefined =>
  new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];

/** An error shaped like the SDK's (name = S3 error code, $metadata, $response), for the same mapping. */
function s3Error(status: number, headers: Record<string, string>, xml: string): Error {
  const code = tag(xml, 'Code') ?? (status === 412 ? 'PreconditionFailed' : `Http${status}`);
  const message = tag(xml, 'Message') ?? `HTTP ${status}`;
  return Object.assign(new Error(message), {
    name: code,
    $metadata: { httpStatusCode: status, requestId: headers['x-amz-request-id'] },
    $response: { headers },
  });
}

/**
 * CopyObject through the lean path: the new version id (if any), or `undefined` when the request
 * cannot be sent that way (the caller then sends the SDK command). A failure is thrown as an
 * SDK-shaped error, including S3's "200 OK with an <Error> body" for copies that fail midway.
 */
export async function leanCopy(
  send: LeanSend,
  input: CopyObjectCommandInput,
  contentMd5?: string,
): Promise<{ versionId: string | undefined } | undefined> {
  if (input.Bucket === undefined || input.Key === undefined) return undefined;
  for (const [k, v] of Object.entries(input)) if (v !== undefined && !KNOWN.has(k)) return undefined;
  const response = await send({
    method: 'PUT',
    bucket: input.Bucket,
    key: input.Key,
    query: { 'x-id': 'CopyObject' },
    headers: copyHeaders(input, contentMd5),
  });
  if (!response) return undefined;
  const xml = await text(response.body);
  if (response.status === 200 && !/<Error>/.test(xml) && /<CopyObjectResult/.test(xml))
    return { versionId: response.headers['x-amz-version-id'] };
  throw s3Error(response.status, response.headers, xml);
}
