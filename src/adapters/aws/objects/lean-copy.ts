import type { CopyObjectCommandInput } from '@aws-sdk/client-s3';
import { bodyText, elementText } from '../transport/lean-response.js';
import type { LeanSend } from '../transport/lean-send.js';

/**
 * The CopyObjectCommandInput fields the engine uses, and the header the SDK's CopyObjectCommand
 * sends each as (a test compares both on the wire). Any other field means "use the SDK command".
 */
const HEADER_OF = {
  CopySource: 'x-amz-copy-source',
  CopySourceIfMatch: 'x-amz-copy-source-if-match',
  IfMatch: 'if-match',
  MetadataDirective: 'x-amz-metadata-directive',
  TaggingDirective: 'x-amz-tagging-directive',
  ServerSideEncryption: 'x-amz-server-side-encryption',
  StorageClass: 'x-amz-storage-class',
  WebsiteRedirectLocation: 'x-amz-website-redirect-location',
  SSEKMSKeyId: 'x-amz-server-side-encryption-aws-kms-key-id',
  BucketKeyEnabled: 'x-amz-server-side-encryption-bucket-key-enabled',
  ObjectLockMode: 'x-amz-object-lock-mode',
  ObjectLockRetainUntilDate: 'x-amz-object-lock-retain-until-date',
  ObjectLockLegalHoldStatus: 'x-amz-object-lock-legal-hold',
} as const satisfies Partial<Record<keyof CopyObjectCommandInput, string>>;

const KNOWN = new Set<string>(['Bucket', 'Key', ...Object.keys(HEADER_OF)]);

/** The S3 headers of the request, without the SDK's own bookkeeping (user agent, invocation id). @internal */
export function copyHeaders(input: CopyObjectCommandInput, contentMd5?: string): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [field, header] of Object.entries(HEADER_OF)) {
    const value = input[field as keyof typeof HEADER_OF];
    if (value !== undefined) h[header] = value instanceof Date ? isoDate(value) : String(value);
  }
  if (contentMd5 !== undefined) h['content-md5'] = contentMd5;
  return h;
}

/** As the SDK writes a timestamp header: ISO 8601, milliseconds only when there are any. */
function isoDate(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/** An error shaped like the SDK's (name = S3 error code, $metadata, $response), for the same mapping. */
function s3Error(status: number, headers: Record<string, string>, xml: string): Error {
  const documented = elementText(xml, 'Code') || undefined;
  const code = documented ?? (status === 412 ? 'PreconditionFailed' : `Http${status}`);
  const message = elementText(xml, 'Message') || `HTTP ${status}`;
  return Object.assign(new Error(message), {
    name: code,
    // As the SDK sets it: only when the store sent an error document (head-proof.ts errorCode).
    ...(documented !== undefined ? { Code: documented } : {}),
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
  const xml = await bodyText(response.body);
  if (response.status === 200 && !/<Error>/.test(xml) && /<CopyObjectResult/.test(xml))
    return { versionId: response.headers['x-amz-version-id'] };
  throw s3Error(response.status, response.headers, xml);
}
