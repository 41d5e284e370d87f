// Types for sigv4-client.mjs, so the strict TypeScript unit test can import the plain-JS bench client.

export const EMPTY_SHA256: string;
export function uriEncode(value: string, keepSlash?: boolean): string;
export function objectPath(bucket: string, key?: string): string;

export interface SignInput {
  method: string;
  path: string;
  query?: [string, string][];
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  service?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  date?: Date;
}
export interface Signed {
  headers: Record<string, string>;
  canonicalQuery: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  signedHeaders: string;
  authorization: string;
}
export function signV4(input: SignInput): Signed;

export interface RawHead {
  etag: string | undefined;
  size: number;
  storageClass: string;
  sse: string | undefined;
  kmsKeyId: string | undefined;
  bucketKeyEnabled: boolean | undefined;
  sseCustomerAlgorithm: string | undefined;
  versionId: string | undefined;
  contentType: string | undefined;
  metadata: Record<string, string>;
  tagCount: number | undefined;
}
export function parseHead(headers: Record<string, string | string[] | undefined>): RawHead;
export function isUnderKey(head: RawHead | undefined, keyId: string): boolean;

export interface RawListed {
  key: string;
  etag: string;
  size: number;
  storageClass: string;
}
export interface RawAcl {
  ownerId: string | undefined;
  grants: string[];
  isDefault: boolean;
}
export function parseAcl(xml: string): RawAcl;
export function parseListPage(xml: string): { objects: RawListed[]; nextToken: string | undefined };

export interface RawRequest {
  method: string;
  path: string;
  query?: [string, string][];
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}
export function copyInPlaceRequest(
  bucket: string,
  key: string,
  opts: { kmsKeyId: string; storageClass?: string; etag: string },
): Required<Pick<RawRequest, 'method' | 'path' | 'headers'>>;

export class S3Error extends Error {
  status: number;
  code: string;
}

export class RawS3Client {
  constructor(opts: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    maxSockets?: number;
  });
  requests: number;
  send(req: RawRequest): Promise<{ status: number; headers: Record<string, string>; body: string }>;
  list(bucket: string, opts?: { prefix?: string }): AsyncGenerator<RawListed>;
  head(bucket: string, key: string): Promise<RawHead | undefined>;
  ownership(bucket: string): Promise<string | undefined>;
  getAcl(bucket: string, key: string): Promise<RawAcl>;
  copyInPlace(
    bucket: string,
    key: string,
    opts: { kmsKeyId: string; storageClass?: string; etag: string },
  ): Promise<unknown>;
  putObject(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    headers?: Record<string, string>,
  ): Promise<unknown>;
  createBucket(bucket: string): Promise<unknown>;
  deleteObject(bucket: string, key: string): Promise<void>;
  deleteMany(bucket: string, keys: string[]): Promise<void>;
  deleteBucket(bucket: string): Promise<void>;
  close(): void;
}

export function runPool<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  worker: (item: T) => Promise<unknown>,
): Promise<number>;
