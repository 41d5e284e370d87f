// Turns a raw HTTP request back into {service, operation, input} with the http bindings of AWS's
// own models, then judges it: the input with checkInput, and what the model says about the wire
// itself (a member bound to a header or query parameter, a required request checksum, the JSON
// and query protocols' envelopes, parameters and x-amz-* headers no member binds).
//   rest-xml (S3, S3 Control): method + requestUri (labels, {Key+}, query literals such as
//     `?tagging`), querystring / header / headers (x-amz-meta- maps) / uri members, the XML payload;
//     S3 Control's {AccountId} host prefix is read from its x-amz-account-id header (a loopback
//     endpoint cannot carry it in the host name).
//   json 1.1 (KMS): X-Amz-Target.  query (STS): Action= in a form body.
// Path-style S3 only (the tests' endpoints are loopback addresses, which the SDK never addresses
// virtual-hosted style).
import { checkInput } from './check-input.js';
import { SERVICES, type ServiceName } from './models.js';
import { fromJson } from './wire-json.js';
import { fromQuery } from './wire-query.js';
import { fromRestXml } from './wire-rest-xml.js';
import { unknownRequest, type WireResult } from './wire-result.js';
import { parseQuery, type Headers, type QueryParam } from './wire-values.js';

export type { WireResult } from './wire-result.js';

export interface WireRequest {
  method: string;
  /** Path and query as sent (`req.url` of a Node server). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

/** Everything the models say about one request: wire-level rules, then the input shape. */
export function checkWire(req: WireRequest): WireResult {
  const parsed = fromWire(req);
  if (parsed.service && parsed.operation && parsed.input) {
    // A required member the wire lacks is already reported, naming its header or parameter.
    const known = new Set(parsed.violations.map((v) => `${v.path} ${v.rule}`));
    const fromInput = checkInput(parsed.service, parsed.operation, parsed.input);
    parsed.violations.push(...fromInput.filter((v) => !known.has(`${v.path} ${v.rule}`)));
  }
  return parsed;
}

function headerMap(raw: WireRequest['headers']): Headers {
  const h: Headers = new Map();
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined) h.set(k.toLowerCase(), Array.isArray(v) ? v.join(',') : v);
  }
  return h;
}

/** The SigV4 credential scope's service (`.../us-east-1/s3/aws4_request`), header or presigned. */
function signingService(h: Headers, query: QueryParam[]): string | undefined {
  const auth = h.get('authorization') ?? '';
  const fromHeader = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1];
  if (fromHeader) return fromHeader;
  const cred = query.find((q) => q.key === 'X-Amz-Credential')?.value;
  return cred?.split('/')[3];
}

function fromWire(req: WireRequest): WireResult {
  const h = headerMap(req.headers);
  const qIndex = req.url.indexOf('?');
  const rawPath = qIndex < 0 ? req.url : req.url.slice(0, qIndex);
  const query = parseQuery(qIndex < 0 ? '' : req.url.slice(qIndex + 1));
  const what = `${req.method} ${req.url.length > 160 ? `${req.url.slice(0, 157)}...` : req.url}`;
  const target = h.get('x-amz-target');
  const signedFor = signingService(h, query);
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  if (target !== undefined) return fromJson(req.method, target, h, body, what);
  const contentType = h.get('content-type') ?? '';
  if (
    signedFor === 'sts' ||
    (rawPath === '/' && req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded'))
  ) {
    return fromQuery('sts', query, body, what);
  }
  if (signedFor !== undefined && signedFor !== 's3' && !SERVICES.includes(signedFor as ServiceName)) {
    return unknownRequest(what, `signed for service "${signedFor}", which has no model here`);
  }
  if (signedFor !== undefined && signedFor !== 's3') {
    return unknownRequest(what, `signed for ${signedFor} without the ${signedFor} protocol's envelope`);
  }
  const service: ServiceName = rawPath.startsWith('/v20180820/') ? 's3control' : 's3';
  return fromRestXml(service, req.method, rawPath, query, h, body, what);
}
