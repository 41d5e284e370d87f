import { createHash, createHmac } from 'node:crypto';

/** What signing needs of the SDK's credentials (its provider resolves, caches and refreshes them). */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface RequestToSign {
  method: string;
  /** The path as sent, already encoded once: S3 signs it as is (no second encoding, no normalising). */
  path: string;
  /** Unencoded names and values. */
  query: Record<string, string>;
  /** Lower-case names; must hold `host` and `x-amz-content-sha256`. Every header given is signed. */
  headers: Record<string, string>;
}

/**
 * SigV4 for S3 requests without a body (HeadObject, CopyObject, ListObjectsV2), header-signed.
 * The SDK's signer (@smithy/signature-v4) is general (any service, presigning, streaming payloads,
 * async hashing): with it `verify --live` ran slower and used more CPU per object in the same
 * benchmark runs (BENCHMARKS.md, "Which signer"), so this one is kept.
 * Unit tests check both give the same signature for the same request (session tokens included),
 * and the S3 documentation's vector. Returns the headers to send, including `authorization`.
 */
export function signS3(
  req: RequestToSign,
  creds: SigningCredentials,
  region: string,
  date: Date,
  /** The signing name the client's endpoint rules give (`s3` for every bucket the CLI takes). */
  service = 's3',
): { headers: Record<string, string>; queryString: string } {
  const amzDate = amzDateOf(date);
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...req.headers, 'x-amz-date': amzDate };
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const names = Object.keys(headers).sort();
  let canonicalHeaders = '';
  for (const n of names) canonicalHeaders += `${n}:${(headers[n] as string).trim().replace(/\s+/g, ' ')}\n`;
  const signedHeaders = names.join(';');
  const queryString = canonicalQuery(req.query);
  const canonical = `${req.method}\n${req.path}\n${queryString}\n${canonicalHeaders}\n${signedHeaders}\n${headers['x-amz-content-sha256'] ?? ''}`;
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature = createHmac('sha256', signingKey(creds.secretAccessKey, day, region, service))
    .update(toSign)
    .digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers, queryString };
}

/** RFC 3986: only A-Z a-z 0-9 - . _ ~ literal (encodeURIComponent also leaves ! ' ( ) * alone). */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(query: Record<string, string>): string {
  const pairs = Object.entries(query).map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

// Thousands of requests share a second: format it once.
let lastSecond = NaN;
let lastAmzDate = '';
function amzDateOf(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastSecond) {
    // 2026-11-30T17:02:19.123Z -> 20261130T170219Z
    const iso = d.toISOString();
    lastAmzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    lastSecond = second;
  }
  return lastAmzDate;
}

// The key depends only on secret, day, region and service: four HMACs once a day instead of per
// request.
let cached: { id: string; key: Buffer } | undefined;
function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const id = `${day}\n${region}\n${service}\n${secret}`;
  if (cached?.id === id) return cached.key;
  const kDate = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  cached = { id, key };
  return key;
}
