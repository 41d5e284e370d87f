// The benchmark's peer: a minimal raw S3 client with no SDK underneath (node:http with one
// keep-alive Agent, node:crypto SigV4, path-style URLs). It does per object what s3-encrypt does,
// so the CLI's rate can be compared with what the same operations cost without the SDK's layers.
// Bench code only: it is not part of the CLI and never sees real AWS (127.0.0.1 endpoints).
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - . _ ~ stay literal. encodeURIComponent
 * leaves ! ' ( ) * alone, which S3 would then canonicalise differently from us.
 */
export function uriEncode(value, keepSlash = false) {
  const enc = encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? enc.replace(/%2F/g, '/') : enc;
}

/** `/bucket/key` with the key encoded once: S3 canonicalises the path as sent (no double encoding). */
export function objectPath(bucket, key) {
  return key === undefined ? `/${bucket}` : `/${bucket}/${uriEncode(key, true)}`;
}

function amzDateOf(date) {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const signingKeys = new Map();
function signingKey(secret, day, region, service) {
  // The HMAC chain depends only on the day; one per day instead of four HMACs per request.
  const id = `${day}/${region}/${service}/${secret}`;
  let k = signingKeys.get(id);
  if (!k) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(day).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    k = createHmac('sha256', kService).update('aws4_request').digest();
    signingKeys.clear();
    signingKeys.set(id, k);
  }
  return k;
}

/**
 * Sign one request (SigV4, Authorization header). `path` is the canonical URI, already encoded;
 * `query` is a list of [name, value] pairs (unencoded); `headers` must hold `host`. Every header
 * given is signed. Returns the headers to send (input + x-amz-date [+ token] + authorization) and
 * the intermediate strings, which the unit test compares with published vectors.
 */
export function signV4({
  method,
  path,
  query = [],
  headers,
  payloadHash,
  region,
  service = 's3',
  accessKeyId,
  secretAccessKey,
  sessionToken,
  date = new Date(),
}) {
  const amzDate = amzDateOf(date);
  const day = amzDate.slice(0, 8);
  const all = {};
  for (const [k, v] of Object.entries(headers)) all[k.toLowerCase()] = String(v);
  all['x-amz-date'] = amzDate;
  if (sessionToken) all['x-amz-security-token'] = sessionToken;
  const names = Object.keys(all).sort();
  const canonicalHeaders = names.map((n) => `${n}:${all[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalQuery = query
    .map(([k, v]) => [uriEncode(k), uriEncode(v ?? '')])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join(
    '\n',
  );
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signature = createHmac('sha256', signingKey(secretAccessKey, day, region, service))
    .update(stringToSign)
    .digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return {
    headers: { ...all, authorization },
    canonicalQuery,
    canonicalRequest,
    stringToSign,
    signature,
    signedHeaders,
    authorization,
  };
}

/** What a HEAD says about encryption (and what a copy must carry over), from raw headers. */
export function parseHead(headers) {
  return {
    etag: headers['etag'],
    size: Number(headers['content-length'] ?? 0),
    storageClass: headers['x-amz-storage-class'] ?? 'STANDARD',
    sse: headers['x-amz-server-side-encryption'],
    kmsKeyId: headers['x-amz-server-side-encryption-aws-kms-key-id'],
    // undefined when the store does not say (Ceph RGW never returns the header).
    bucketKeyEnabled:
      headers['x-amz-server-side-encryption-bucket-key-enabled'] === undefined
        ? undefined
        : headers['x-amz-server-side-encryption-bucket-key-enabled'] === 'true',
    sseCustomerAlgorithm: headers['x-amz-server-side-encryption-customer-algorithm'],
    versionId: headers['x-amz-version-id'],
    contentType: headers['content-type'],
    // What a multipart rewrite must restate (CreateMultipartUpload copies nothing by itself).
    metadata: Object.fromEntries(
      Object.entries(headers)
        .filter(([k]) => k.startsWith('x-amz-meta-'))
        .map(([k, v]) => [k.slice('x-amz-meta-'.length), String(v)]),
    ),
    tagCount:
      headers['x-amz-tagging-count'] === undefined ? undefined : Number(headers['x-amz-tagging-count']),
  };
}

/** Is this HEAD SSE-KMS under `keyId` (ARN or bare id: stores answer with either)? */
export function isUnderKey(head, keyId) {
  if (!head || head.sse !== 'aws:kms' || !head.kmsKeyId) return false;
  const bare = (id) => id.slice(id.lastIndexOf('/') + 1);
  return head.kmsKeyId === keyId || bare(head.kmsKeyId) === bare(keyId);
}

const XML_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : XML_ENTITIES[e],
  );
}
function tag(xml, name) {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? xmlText(m[1]) : undefined;
}

/**
 * An object ACL: the owner's id and the grants as sorted `type:id:permission` strings (display
 * names ignored); `isDefault` when the owner alone has FULL_CONTROL (what every copy gets).
 */
export function parseAcl(xml) {
  const ownerId = tag(/<Owner>([\s\S]*?)<\/Owner>/.exec(xml)?.[1] ?? '', 'ID');
  const grants = [];
  for (const m of xml.matchAll(/<Grant>([\s\S]*?)<\/Grant>/g)) {
    const id = tag(m[1], 'ID') ?? tag(m[1], 'URI') ?? tag(m[1], 'EmailAddress') ?? '';
    const type = /xsi:type="([^"]+)"/.exec(m[1])?.[1] ?? '';
    grants.push(`${type}:${id}:${tag(m[1], 'Permission') ?? ''}`);
  }
  grants.sort();
  const isDefault = grants.length === 1 && grants[0] === `CanonicalUser:${ownerId}:FULL_CONTROL`;
  return { ownerId, grants, isDefault };
}

/** One ListObjectsV2 page: objects (key, etag, size, storage class) and the next token. */
export function parseListPage(xml) {
  const objects = [];
  for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    objects.push({
      key: tag(m[1], 'Key'),
      etag: tag(m[1], 'ETag'),
      size: Number(tag(m[1], 'Size') ?? 0),
      storageClass: tag(m[1], 'StorageClass') ?? 'STANDARD',
    });
  }
  const truncated = tag(xml, 'IsTruncated') === 'true';
  return { objects, nextToken: truncated ? tag(xml, 'NextContinuationToken') : undefined };
}

/**
 * The request encrypt makes for one NOT-SSE object: CopyObject onto itself with SSE-KMS under
 * the key, a bucket key, metadata and tags copied, the source's storage class kept, and the copy
 * made only if the source still has the ETag we saw (x-amz-copy-source-if-match) and the key has
 * not received a newer write (If-Match on the destination).
 */
export function copyInPlaceRequest(bucket, key, { kmsKeyId, storageClass, etag }) {
  return {
    method: 'PUT',
    path: objectPath(bucket, key),
    headers: {
      'x-amz-copy-source': objectPath(bucket, key),
      'x-amz-copy-source-if-match': etag,
      'if-match': etag,
      'x-amz-metadata-directive': 'COPY',
      'x-amz-tagging-directive': 'COPY',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyId,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      'x-amz-storage-class': storageClass ?? 'STANDARD',
    },
  };
}

export class S3Error extends Error {
  constructor(method, path, status, body) {
    const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `HTTP ${status}`;
    super(`${method} ${path}: ${status} ${code}`);
    this.status = status;
    this.code = code;
  }
}

/** A client for one endpoint; `maxSockets` should equal the concurrency, like the CLI's pool. */
export class RawS3Client {
  /**
   * `transport: 'net'` sends each request on its own bare TCP socket (hand-written HTTP/1.1,
   * `connection: close`, no parser beyond status, headers and body): the least CPU a client can
   * spend per request against a server that closes every connection anyway (moto). It is the
   * benchmark's floor, not a client anyone should ship.
   */
  constructor({
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    sessionToken,
    maxSockets = 16,
    transport = 'http',
  }) {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:') throw new Error(`only http:// loopback endpoints: ${endpoint}`);
    this.hostname = url.hostname;
    this.port = Number(url.port || 80);
    this.host = url.host;
    this.creds = { region, accessKeyId, secretAccessKey, sessionToken };
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
    this.transport = transport;
    this.requests = 0;
  }

  /** Send one signed request; resolves { status, headers, body } and never throws for HTTP status. */
  send({ method, path, query = [], headers = {}, body }) {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const payloadHash = payload ? createHash('sha256').update(payload).digest('hex') : EMPTY_SHA256;
    const signed = signV4({
      method,
      path,
      query,
      headers: {
        ...headers,
        host: this.host,
        'x-amz-content-sha256': payloadHash,
        ...(payload ? { 'content-length': String(payload.length) } : {}),
      },
      payloadHash,
      ...this.creds,
    });
    const qs = signed.canonicalQuery;
    this.requests++;
    if (this.transport === 'net')
      return this.sendBare(method, qs ? `${path}?${qs}` : path, signed.headers, payload);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          hostname: this.hostname,
          port: this.port,
          method,
          path: qs ? `${path}?${qs}` : path,
          headers: signed.headers,
          agent: this.agent,
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  sendBare(method, target, headers, payload) {
    let head = `${method} ${target} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    head += 'connection: close\r\n\r\n';
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, this.hostname);
      const chunks = [];
      socket.on('connect', () => socket.write(payload ? Buffer.concat([Buffer.from(head), payload]) : head));
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('end', () => {
        const all = Buffer.concat(chunks);
        const split = all.indexOf('\r\n\r\n');
        const lines = all.subarray(0, split).toString('latin1').split('\r\n');
        const status = Number(lines[0].split(' ')[1]);
        const h = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          h[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        let body = method === 'HEAD' ? Buffer.alloc(0) : all.subarray(split + 4);
        if (/chunked/i.test(h['transfer-encoding'] ?? '')) body = unchunk(body);
        resolve({ status, headers: h, body: body.toString() });
      });
    });
  }

  async ok(req) {
    const res = await this.send(req);
    // CopyObject can answer 200 with an <Error> body.
    if (
      res.status >= 300 ||
      (req.method === 'PUT' && res.body.startsWith('<?xml') && res.body.includes('<Error>'))
    )
      throw new S3Error(req.method, req.path, res.status, res.body);
    return res;
  }

  async listPage(bucket, { prefix, token } = {}) {
    const query = [['list-type', '2']];
    if (prefix) query.push(['prefix', prefix]);
    if (token) query.push(['continuation-token', token]);
    const res = await this.ok({ method: 'GET', path: objectPath(bucket), query });
    return parseListPage(res.body);
  }

  /** Every current object, page by page (1,000 per page), lazily: like the CLI's listing. */
  async *list(bucket, opts = {}) {
    let token;
    do {
      const page = await this.listPage(bucket, { prefix: opts.prefix, token });
      yield* page.objects;
      token = page.nextToken;
    } while (token);
  }

  /** HeadObject; undefined when the object is gone (404). */
  async head(bucket, key) {
    const res = await this.send({ method: 'HEAD', path: objectPath(bucket, key) });
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw new S3Error('HEAD', objectPath(bucket, key), res.status, '');
    return parseHead(res.headers);
  }

  /** GetBucketOwnershipControls: the ObjectOwnership value, or undefined when none is set. */
  async ownership(bucket) {
    const res = await this.send({
      method: 'GET',
      path: objectPath(bucket),
      query: [['ownershipControls', '']],
    });
    if (res.status === 404) return undefined;
    if (res.status >= 300)
      throw new S3Error('GET', `${objectPath(bucket)}?ownershipControls`, res.status, res.body);
    return tag(res.body, 'ObjectOwnership');
  }

  async getAcl(bucket, key) {
    const res = await this.ok({ method: 'GET', path: objectPath(bucket, key), query: [['acl', '']] });
    return parseAcl(res.body);
  }

  copyInPlace(bucket, key, opts) {
    return this.ok(copyInPlaceRequest(bucket, key, opts));
  }

  /** GetObjectTagging: the tags as sorted `key=value` strings. */
  async getTags(bucket, key) {
    const res = await this.ok({ method: 'GET', path: objectPath(bucket, key), query: [['tagging', '']] });
    return [...res.body.matchAll(/<Tag>([\s\S]*?)<\/Tag>/g)]
      .map((m) => `${tag(m[1], 'Key')}=${tag(m[1], 'Value')}`)
      .sort();
  }

  /** ListMultipartUploads for exactly this key: the upload ids. */
  async listUploads(bucket, key) {
    const res = await this.ok({
      method: 'GET',
      path: objectPath(bucket),
      query: [
        ['uploads', ''],
        ['prefix', key],
      ],
    });
    return [...res.body.matchAll(/<Upload>([\s\S]*?)<\/Upload>/g)]
      .filter((m) => tag(m[1], 'Key') === key)
      .map((m) => tag(m[1], 'UploadId'));
  }

  /**
   * The engine's multipart rewrite of a small object: CreateMultipartUpload restating SSE-KMS, key,
   * bucket key, storage class, Content-Type, metadata and tags; one UploadPartCopy of the whole
   * object guarded by the ETag; CompleteMultipartUpload with If-Match. Aborts on failure.
   */
  async multipartInPlace(bucket, key, { kmsKeyId, head, tags }) {
    const path = objectPath(bucket, key);
    const headers = {
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyId,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      'x-amz-storage-class': head.storageClass,
      ...(head.contentType ? { 'content-type': head.contentType } : {}),
      ...Object.fromEntries(Object.entries(head.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
      ...(tags.length
        ? { 'x-amz-tagging': tags.map((t) => t.split('=').map(encodeURIComponent).join('=')).join('&') }
        : {}),
    };
    const created = await this.ok({ method: 'POST', path, query: [['uploads', '']], headers });
    const uploadId = tag(created.body, 'UploadId');
    try {
      const part = await this.ok({
        method: 'PUT',
        path,
        query: [
          ['partNumber', '1'],
          ['uploadId', uploadId],
        ],
        headers: {
          'x-amz-copy-source': path,
          'x-amz-copy-source-if-match': head.etag,
          ...(head.size > 0 ? { 'x-amz-copy-source-range': `bytes=0-${head.size - 1}` } : {}),
        },
      });
      const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${tag(part.body, 'ETag')}</ETag></Part></CompleteMultipartUpload>`;
      const done = await this.ok({
        method: 'POST',
        path,
        query: [['uploadId', uploadId]],
        headers: { 'if-match': head.etag },
        body,
      });
      if (done.body.includes('<Error>')) throw new S3Error('POST', path, done.status, done.body);
    } catch (e) {
      await this.send({ method: 'DELETE', path, query: [['uploadId', uploadId]] });
      throw e;
    }
  }

  /** PutObjectAcl with x-amz-grant-* headers from `type:id:permission` grants (as the engine sends). */
  putAcl(bucket, key, grants) {
    const by = {};
    for (const g of grants) {
      const [type, ...rest] = g.split(':');
      const permission = rest.pop();
      const id = rest.join(':');
      const who =
        type === 'Group'
          ? `uri="${id}"`
          : type === 'AmazonCustomerByEmail'
            ? `emailAddress="${id}"`
            : `id="${id}"`;
      const h = `x-amz-grant-${permission.toLowerCase().replace('_', '-')}`;
      (by[h] ??= []).push(who);
    }
    const headers = Object.fromEntries(Object.entries(by).map(([h, w]) => [h, w.join(', ')]));
    return this.ok({ method: 'PUT', path: objectPath(bucket, key), query: [['acl', '']], headers });
  }

  putObject(bucket, key, body, headers = {}) {
    return this.ok({ method: 'PUT', path: objectPath(bucket, key), headers, body });
  }

  createBucket(bucket) {
    return this.ok({ method: 'PUT', path: objectPath(bucket) });
  }

  async deleteObject(bucket, key) {
    await this.ok({ method: 'DELETE', path: objectPath(bucket, key) });
  }

  /** DeleteObjects (up to 1,000 keys); S3 requires Content-MD5 on it. */
  async deleteMany(bucket, keys) {
    const esc = (k) => k.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const body = `<Delete><Quiet>true</Quiet>${keys.map((k) => `<Object><Key>${esc(k)}</Key></Object>`).join('')}</Delete>`;
    const md5 = createHash('md5').update(body).digest('base64');
    const res = await this.ok({
      method: 'POST',
      path: objectPath(bucket),
      query: [['delete', '']],
      headers: { 'content-md5': md5, 'content-type': 'application/xml' },
      body,
    });
    if (res.body.includes('<Error>'))
      throw new S3Error('POST', `${objectPath(bucket)}?delete`, res.status, res.body);
  }

  async deleteBucket(bucket) {
    await this.ok({ method: 'DELETE', path: objectPath(bucket) });
  }

  close() {
    this.agent.destroy();
  }
}

/**
 * Run `worker` over an (async) iterable with `concurrency` in flight, pulling lazily (the
 * listing streams while HEADs run, as in the CLI). Resolves the number of items processed.
 */
function unchunk(buf) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

export async function runPool(items, concurrency, worker) {
  const it = items[Symbol.asyncIterator] ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let pulling = Promise.resolve();
  let n = 0;
  const next = () => {
    const p = pulling.then(() => it.next());
    pulling = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const r = await next();
        if (r.done) return;
        n++;
        await worker(r.value);
      }
    }),
  );
  return n;
}
