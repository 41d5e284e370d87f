// SigV4 for the local S3 Batch Operations service: the signature of each request is recomputed
// with the SDK's own signer (@smithy/signature-v4) over the headers the client says it signed,
// and compared in constant time. A request whose body does not hash to x-amz-content-sha256 is
// refused too: the signature covers the hash, not the body.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** The hash constructor @smithy/signature-v4 wants, on node:crypto. */
class NodeSha256 {
  private readonly h;
  constructor(secret?: unknown) {
    this.h = secret ? createHmac('sha256', secret as Buffer) : createHash('sha256');
  }
  update(data: Uint8Array | string): void {
    this.h.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface IncomingSigned {
  method: string;
  /** Path as sent (still percent-encoded), without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

/** `region`: the credential scope's, the region the request was signed for (S3 Control is regional). */
export type SignatureVerdict = { ok: true; region: string } | { ok: false; code: string; message: string };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export async function checkSignature(req: IncomingSigned, creds: Credentials): Promise<SignatureVerdict> {
  const auth = req.headers['authorization'] ?? '';
  const m = AUTH.exec(auth);
  if (!m) {
    return {
      ok: false,
      code: 'AccessDenied',
      message: 'Missing or malformed Authorization header (AWS4-HMAC-SHA256 expected)',
    };
  }
  const [, keyId, day, region, service, signedList, signature] = m as unknown as string[];
  if (keyId !== creds.accessKeyId) {
    return {
      ok: false,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  const amzDate = req.headers['x-amz-date'] ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== day) {
    return {
      ok: false,
      code: 'AccessDenied',
      message: 'x-amz-date is missing or does not match the credential scope',
    };
  }
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== bodyHash) {
    return {
      ok: false,
      code: 'XAmzContentSHA256Mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  const signed = (signedList ?? '').split(';');
  const headers: Record<string, string> = {};
  for (const h of signed) headers[h] = req.headers[h] ?? '';
  const query: Record<string, string | string[]> = {};
  for (const k of new Set(req.query.keys())) {
    const all = req.query.getAll(k);
    query[k] = all.length === 1 ? (all[0] ?? '') : all;
  }
  const request = {
    method: req.method,
    protocol: 'http:',
    hostname: (headers['host'] ?? '').replace(/:\d+$/, ''),
    // as sent: S3's signer (uriEscapePath false) signs the path without normalising it
    path: req.path,
    query,
    headers,
    body: req.body,
  };
  const signer = new SignatureV4({
    service: service ?? 's3',
    region: region ?? 'us-east-1',
    credentials: creds,
    sha256: NodeSha256,
    // S3's signing name: paths are not normalised or double-encoded (as the SDK signs for it).
    uriEscapePath: false,
    applyChecksum: false,
  });
  const at = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const resigned = await signer.sign(request, { signingDate: at, signableHeaders: new Set(signed) });
  const expected =
    /Signature=([0-9a-f]{64})/.exec(String(resigned.headers['authorization'] ?? ''))?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(signature ?? '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }
  return { ok: true, region: region ?? '' };
}
