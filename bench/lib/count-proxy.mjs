// A loopback pass-through proxy that counts requests by S3/KMS/STS operation, so RESULTS can say
// exactly which operations each side performed (counted on the wire, not assumed). The Host
// header is forwarded unchanged, so SigV4 signatures made for the proxy's address stay valid.
import http from 'node:http';

/** Name the API operation of one request from its method, path, query and headers. */
export function operationOf(method, url, headers) {
  const u = new URL(url, 'http://x');
  const q = u.searchParams;
  const segments = u.pathname.split('/').filter(Boolean);
  const onObject = segments.length >= 2;
  const target = headers['x-amz-target'];
  if (target) return `KMS ${String(target).split('.').pop()}`;
  if (method === 'POST' && segments.length === 0) return 'STS/other POST /';
  if (method === 'GET' && !onObject) {
    if (q.get('list-type') === '2') return 'ListObjectsV2';
    if (q.has('versions')) return 'ListObjectVersions';
    if (q.has('uploads')) return 'ListMultipartUploads';
    if (q.has('location')) return 'GetBucketLocation';
    if (q.has('encryption')) return 'GetBucketEncryption';
    if (q.has('ownershipControls')) return 'GetBucketOwnershipControls';
    if (q.has('versioning')) return 'GetBucketVersioning';
    if (q.has('object-lock')) return 'GetObjectLockConfiguration';
    return segments.length === 0 ? 'ListBuckets' : 'ListObjects (v1)';
  }
  if (method === 'HEAD') return onObject ? 'HeadObject' : 'HeadBucket';
  if (method === 'PUT' && onObject && headers['x-amz-copy-source'])
    return q.has('partNumber') ? 'UploadPartCopy' : 'CopyObject';
  if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'GET' && onObject && q.has('tagging')) return 'GetObjectTagging';
  if (method === 'PUT' && onObject && q.has('tagging')) return 'PutObjectTagging';
  if (method === 'GET' && onObject && q.has('acl')) return 'GetObjectAcl';
  if (method === 'PUT' && onObject && q.has('acl')) return 'PutObjectAcl';
  if (method === 'PUT' && onObject && q.has('retention')) return 'PutObjectRetention';
  if (method === 'PUT' && onObject && q.has('legal-hold')) return 'PutObjectLegalHold';
  if (method === 'GET' && onObject) return 'GetObject';
  if (method === 'PUT' && onObject) return 'PutObject';
  return `${method} ${onObject ? 'object' : 'bucket'}?${[...q.keys()].join('&')}`;
}

export async function countingProxy(upstream) {
  const up = new URL(upstream);
  const counts = {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const op = operationOf(req.method ?? 'GET', req.url ?? '/', req.headers);
    counts[op] = (counts[op] ?? 0) + 1;
    const fwd = http.request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers, agent },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    fwd.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(fwd);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    reset() {
      for (const k of Object.keys(counts)) delete counts[k];
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
