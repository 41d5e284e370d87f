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
import { checkInput, isPlainObject, type Violation } from './check-input.js';
import {
  serviceModel,
  shapeOf,
  SERVICES,
  type Operation,
  type ServiceModel,
  type ServiceName,
  type ShapeRef,
} from './models.js';
import { localName, parseXml, type XmlElement } from './xml.js';

export interface WireRequest {
  method: string;
  /** Path and query as sent (`req.url` of a Node server). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

export interface WireResult {
  service?: ServiceName;
  operation?: string;
  input?: Record<string, unknown>;
  violations: Violation[];
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

type Headers = Map<string, string>;

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

export function fromWire(req: WireRequest): WireResult {
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
    return unknown(what, `signed for service "${signedFor}", which has no model here`);
  }
  if (signedFor !== undefined && signedFor !== 's3') {
    return unknown(what, `signed for ${signedFor} without the ${signedFor} protocol's envelope`);
  }
  const service: ServiceName = rawPath.startsWith('/v20180820/') ? 's3control' : 's3';
  return fromRestXml(service, req.method, rawPath, query, h, body, what);
}

function unknown(what: string, why: string, service?: ServiceName): WireResult {
  return {
    ...(service ? { service } : {}),
    violations: [{ path: '', rule: 'unknown-operation', message: `${what}: ${why}` }],
  };
}

// ------------------------------------------------------------------ json 1.1 (KMS)

function fromJson(method: string, target: string, h: Headers, body: Buffer, what: string): WireResult {
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const service = SERVICES.find((s) => serviceModel(s).metadata.targetPrefix === prefix);
  if (!service) return unknown(what, `X-Amz-Target ${target} names no modelled service`);
  const model = serviceModel(service);
  const operation = target.slice(dot + 1);
  if (!model.operations[operation]) return unknown(what, `${service} has no operation ${operation}`, service);
  const violations: Violation[] = [];
  const wire = (rule: string, message: string) => violations.push({ path: '', rule, message });
  if (method !== 'POST') wire('http-method', `${service} json protocol requests are POST; got ${method}`);
  const ct = h.get('content-type') ?? '';
  const want = `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
  if (!ct.startsWith(want)) wire('content-type', `${service} wants Content-Type ${want}; got "${ct}"`);
  let input: unknown = {};
  const text = body.toString('utf8');
  if (text.trim()) {
    try {
      input = JSON.parse(text) as unknown;
    } catch (e) {
      wire('body', `the body is not JSON: ${String(e)}`);
      return { service, operation, violations };
    }
  }
  if (!isPlainObject(input)) {
    wire('body', 'the JSON body is not an object');
    return { service, operation, violations };
  }
  return { service, operation, input, violations };
}

// ------------------------------------------------------------------ query (STS)

interface QueryParam {
  key: string;
  value: string;
  /** `?versions` as against `?versions=` */
  bare: boolean;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseQuery(q: string, plusIsSpace = false): QueryParam[] {
  if (!q) return [];
  return q
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      const d = (s: string) => decode(plusIsSpace ? s.replace(/\+/g, ' ') : s);
      return eq < 0
        ? { key: d(part), value: '', bare: true }
        : { key: d(part.slice(0, eq)), value: d(part.slice(eq + 1)), bare: false };
    });
}

function fromQuery(service: ServiceName, urlQuery: QueryParam[], body: Buffer, what: string): WireResult {
  const model = serviceModel(service);
  const params = new Map<string, string>();
  for (const p of [...urlQuery, ...parseQuery(body.toString('utf8'), true)]) params.set(p.key, p.value);
  const action = params.get('Action');
  if (!action) return unknown(what, `a ${service} query request without Action=`, service);
  const op = model.operations[action];
  if (!op) return unknown(what, `${service} has no operation ${action}`, service);
  const violations: Violation[] = [];
  if (params.get('Version') !== model.metadata.apiVersion) {
    violations.push({
      path: '',
      rule: 'api-version',
      message: `${service} query requests carry Version=${model.metadata.apiVersion}; got ${params.get('Version') ?? '(none)'}`,
    });
  }
  const used = new Set(['Action', 'Version']);
  const input = op.input ? queryValue(model, op.input, '', params, used, violations) : {};
  for (const key of params.keys()) {
    if (!used.has(key) && !key.startsWith('X-Amz-')) {
      violations.push({ path: key, rule: 'unknown-member', message: `${action} has no parameter ${key}` });
    }
  }
  return { service, operation: action, input: (input ?? {}) as Record<string, unknown>, violations };
}

function queryValue(
  model: ServiceModel,
  ref: ShapeRef,
  prefix: string,
  params: Map<string, string>,
  used: Set<string>,
  violations: Violation[],
): unknown {
  const shape = shapeOf(model, ref.shape);
  const dot = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (shape.type === 'structure') {
    const out: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      const v = queryValue(model, m, dot(m.locationName ?? name), params, used, violations);
      if (v !== undefined) out[name] = v;
    }
    return prefix && Object.keys(out).length === 0 ? undefined : out;
  }
  if (shape.type === 'list') {
    const base =
      ref.flattened || shape.flattened ? prefix : `${prefix}.${shape.member?.locationName ?? 'member'}`;
    const items: unknown[] = [];
    for (let i = 1; ; i++) {
      const item = queryValue(model, shape.member as ShapeRef, `${base}.${i}`, params, used, violations);
      if (item === undefined) break;
      items.push(item);
    }
    if (params.has(prefix) && params.get(prefix) === '') {
      used.add(prefix); // an empty list is sent as `Name=`
      return [];
    }
    return items.length ? items : undefined;
  }
  if (shape.type === 'map') {
    const base = ref.flattened || shape.flattened ? prefix : `${prefix}.entry`;
    const out: Record<string, unknown> = {};
    for (let i = 1; ; i++) {
      const k = params.get(`${base}.${i}.${shape.key?.locationName ?? 'key'}`);
      if (k === undefined) break;
      used.add(`${base}.${i}.${shape.key?.locationName ?? 'key'}`);
      out[k] = queryValue(
        model,
        shape.value as ShapeRef,
        `${base}.${i}.${shape.value?.locationName ?? 'value'}`,
        params,
        used,
        violations,
      );
    }
    return Object.keys(out).length ? out : undefined;
  }
  const raw = params.get(prefix);
  if (raw === undefined) return undefined;
  used.add(prefix);
  return scalar(model, ref, raw, 'iso8601', prefix, violations);
}

// ------------------------------------------------------------------ scalars from text

/** Text (header, query, XML element) -> the value the SDK's input would hold. */
function scalar(
  model: ServiceModel,
  ref: ShapeRef,
  text: string,
  defaultTimestamp: 'iso8601' | 'rfc822',
  path: string,
  violations: Violation[],
): unknown {
  const shape = shapeOf(model, ref.shape);
  const bad = (what: string): undefined => {
    violations.push({
      path,
      rule: 'type',
      message: `${ref.shape} is ${what}; the wire has ${JSON.stringify(text)}`,
    });
    return undefined;
  };
  switch (shape.type) {
    case 'string':
      if (ref.jsonvalue) {
        try {
          return Buffer.from(text, 'base64').toString('utf8');
        } catch {
          return bad('base64 JSON');
        }
      }
      return text;
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(text.trim())
        ? Number(text.trim())
        : bad(`${shape.type === 'long' ? 'a long' : 'an integer'}`);
    case 'float':
    case 'double':
      return text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : bad('a number');
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : bad('a boolean (true | false)');
    case 'timestamp': {
      const format = ref.timestampFormat ?? shape.timestampFormat ?? defaultTimestamp;
      const ok =
        format === 'iso8601'
          ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(text)
          : format === 'rfc822'
            ? /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)
            : /^\d+(\.\d+)?$/.test(text);
      if (!ok) return bad(`a timestamp in ${format} format`);
      return format === 'unixTimestamp' ? new Date(Number(text) * 1000) : new Date(text);
    }
    case 'blob':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? Buffer.from(text, 'base64') : bad('base64 bytes');
    case 'list':
      // A list bound to a header: comma-separated items.
      return text
        .split(',')
        .map((item, i) =>
          scalar(model, shape.member as ShapeRef, item.trim(), defaultTimestamp, `${path}[${i}]`, violations),
        );
    default:
      return bad(`a ${shape.type}, which has no text form here`);
  }
}

// ------------------------------------------------------------------ rest-xml (S3, S3 Control)

interface Compiled {
  op: Operation;
  re: RegExp;
  labels: { name: string; greedy: boolean }[];
  literals: { key: string; value?: string }[];
}

const compiled = new Map<ServiceName, Compiled[]>();

function routes(service: ServiceName): Compiled[] {
  let list = compiled.get(service);
  if (list) return list;
  list = Object.values(serviceModel(service).operations).map((op) => {
    const [path = '/', q = ''] = op.http.requestUri.split('?');
    const labels: Compiled['labels'] = [];
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const m = /^\{([^}+]+)(\+?)\}$/.exec(part);
        if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        labels.push({ name: m[1] as string, greedy: m[2] === '+' });
        return m[2] === '+' ? '(.+)' : '([^/]+)';
      })
      .join('');
    // `/{Bucket}` is also asked as `/{Bucket}/`.
    const re = new RegExp(`^${source}${/\}$/.test(path) && !path.endsWith('+}') ? '/?' : ''}$`);
    const literals = parseQuery(q).map((p) => (p.bare ? { key: p.key } : { key: p.key, value: p.value }));
    return { op, re, labels, literals };
  });
  compiled.set(service, list);
  return list;
}

/** Headers every signed rest-xml request may carry that no model member binds. */
const PROTOCOL_HEADERS = new Set([
  'x-amz-date',
  'x-amz-content-sha256',
  'x-amz-security-token',
  'x-amz-user-agent',
  'x-amz-decoded-content-length',
  'x-amz-trailer',
  'x-amz-sdk-checksum-algorithm',
]);

function requiredWireMembers(model: ServiceModel, op: Operation): { name: string; ref: ShapeRef }[] {
  if (!op.input) return [];
  const shape = shapeOf(model, op.input.shape);
  return (shape.required ?? [])
    .map((name) => ({ name, ref: shape.members?.[name] as ShapeRef }))
    .filter(
      (m) => m.ref.location === 'uri' || m.ref.location === 'querystring' || m.ref.location === 'header',
    );
}

function present(ref: ShapeRef, h: Headers, query: QueryParam[]): boolean {
  const name = ref.locationName ?? '';
  if (ref.location === 'uri') return true;
  if (ref.location === 'querystring') return query.some((q) => q.key === name);
  return h.has(name.toLowerCase());
}

function fromRestXml(
  service: ServiceName,
  method: string,
  rawPath: string,
  query: QueryParam[],
  h: Headers,
  body: Buffer,
  what: string,
): WireResult {
  const model = serviceModel(service);
  const xId = query.find((q) => q.key === 'x-id')?.value;
  type Candidate = { route: Compiled; match: RegExpExecArray; missing: number; found: number };
  const candidates: Candidate[] = [];
  for (const route of routes(service)) {
    if (route.op.http.method !== method) continue;
    const match = route.re.exec(rawPath);
    if (!match) continue;
    const literalsOk = route.literals.every((l) =>
      query.some((q) => q.key === l.key && (l.value === undefined || q.value === l.value)),
    );
    if (!literalsOk) continue;
    const req = requiredWireMembers(model, route.op);
    const found = req.filter((m) => present(m.ref, h, query)).length;
    candidates.push({ route, match, missing: req.length - found, found });
  }
  if (candidates.length === 0)
    return unknown(what, `matches no ${service} operation's method and requestUri`, service);
  // The most specific operation: all literals, then nothing required missing, then the most
  // required bindings present (CopyObject over PutObject when x-amz-copy-source is sent,
  // UploadPartCopy over UploadPart), then the one x-id names, then the one not deprecated
  // (GetBucketLifecycleConfiguration and the deprecated GetBucketLifecycle share one wire form;
  // the SDK has only the former).
  const rank = (c: Candidate) => [
    c.route.literals.length,
    -c.missing,
    c.found,
    c.route.op.name === xId ? 1 : 0,
    c.route.op.deprecated ? 0 : 1,
  ];
  candidates.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (rb[i] as number) - (ra[i] as number);
    return 0;
  });
  const best = candidates[0] as Candidate;
  const violations: Violation[] = [];
  const wire = (path: string, rule: string, message: string) => violations.push({ path, rule, message });
  const tied = candidates.filter((c) => rank(c).join() === rank(best).join());
  if (tied.length > 1) {
    wire('', 'ambiguous-operation', `${what} fits ${tied.map((c) => c.route.op.name).join(' and ')} alike`);
  }
  const op = best.route.op;
  if (xId !== undefined && xId !== op.name)
    wire('x-id', 'x-id', `x-id=${xId} on a request that is ${op.name}`);

  const input: Record<string, unknown> = {};
  const shape = op.input ? shapeOf(model, op.input.shape) : { type: 'structure' as const, members: {} };
  const members = shape.members ?? {};
  const usedQuery = new Set<string>([...best.route.literals.map((l) => l.key), 'x-id']);
  const usedHeaders = new Set<string>();
  const labelValues = new Map<string, string>();
  best.route.labels.forEach((l, i) => {
    const raw = best.match[i + 1] ?? '';
    labelValues.set(l.name, l.greedy ? raw.split('/').map(decode).join('/') : decode(raw));
  });
  const bodyMembers: string[] = [];
  for (const [name, ref] of Object.entries(members)) {
    const loc = ref.locationName ?? name;
    if (ref.location === 'uri') {
      const v = labelValues.get(loc);
      if (v !== undefined) input[name] = scalar(model, ref, v, 'iso8601', name, violations);
    } else if (ref.location === 'querystring') {
      const mShape = shapeOf(model, ref.shape);
      if (mShape.type === 'map') {
        continue; // a map of the remaining parameters: no S3 / S3 Control input the CLI sends has one
      }
      const values = query.filter((q) => q.key === loc);
      if (values.length === 0) continue;
      usedQuery.add(loc);
      input[name] =
        mShape.type === 'list'
          ? values.map((q, i) =>
              scalar(model, mShape.member as ShapeRef, q.value, 'iso8601', `${name}[${i}]`, violations),
            )
          : scalar(model, ref, (values[0] as QueryParam).value, 'iso8601', name, violations);
      if (values.length > 1 && mShape.type !== 'list')
        wire(name, 'type', `query parameter ${loc} given ${values.length} times`);
    } else if (ref.location === 'header') {
      const v = h.get(loc.toLowerCase());
      if (v === undefined) continue;
      usedHeaders.add(loc.toLowerCase());
      input[name] = scalar(model, ref, v, 'rfc822', name, violations);
    } else if (ref.location === 'headers') {
      const prefix = loc.toLowerCase();
      const map: Record<string, string> = {};
      for (const [k, v] of h) {
        if (k.startsWith(prefix)) {
          usedHeaders.add(k);
          map[k.slice(prefix.length)] = v;
        }
      }
      if (Object.keys(map).length) input[name] = map;
    } else if (ref.location === undefined) {
      bodyMembers.push(name);
    }
  }

  // Parameters and x-amz-* headers nothing in the model binds.
  for (const q of query) {
    if (!usedQuery.has(q.key) && !q.key.startsWith('X-Amz-')) {
      wire(q.key, 'unknown-query-parameter', `${op.name} binds no query parameter "${q.key}"`);
    }
  }
  for (const k of h.keys()) {
    if (
      k.startsWith('x-amz-') &&
      !usedHeaders.has(k) &&
      !PROTOCOL_HEADERS.has(k) &&
      !k.startsWith('x-amz-checksum-')
    ) {
      wire(k, 'unknown-header', `${op.name} binds no header ${k}`);
    }
  }

  // The body: one payload member, or the input structure itself as the XML root (S3 Control).
  const payload = decodeAwsChunked(body, h, violations);
  if (shape.payload) {
    const ref = members[shape.payload] as ShapeRef;
    const pShape = shapeOf(model, ref.shape);
    if (pShape.type === 'structure') {
      if (payload.length) {
        const el = parseBody(payload, violations);
        const rootName = ref.locationName ?? pShape.locationName ?? ref.shape;
        if (el) {
          if (localName(el.name) !== rootName)
            wire(shape.payload, 'xml-root', `${op.name}'s payload is <${rootName}>; got <${el.name}>`);
          checkNamespace(op.name, ref.xmlNamespace?.uri, el, shape.payload, wire);
          input[shape.payload] = fromXml(model, ref, el, shape.payload, violations);
        }
      }
    } else if (payload.length || (h.get('content-length') ?? '0') !== '0') {
      input[shape.payload] = pShape.type === 'string' ? payload.toString('utf8') : payload;
    }
  } else if (bodyMembers.length && payload.length) {
    const el = parseBody(payload, violations);
    const rootName = op.input?.locationName ?? op.input?.shape ?? '';
    if (el) {
      if (localName(el.name) !== rootName)
        wire('', 'xml-root', `${op.name}'s body is <${rootName}>; got <${el.name}>`);
      checkNamespace(op.name, op.input?.xmlNamespace?.uri, el, '', wire);
      const fromBody = fromXml(model, op.input as ShapeRef, el, '', violations, new Set(bodyMembers));
      Object.assign(input, fromBody);
    }
  } else if (payload.length) {
    wire('', 'unexpected-body', `${op.name} has no body member; got ${payload.length} bytes`);
  }

  // Required members bound to the wire (checkInput reports those of the body).
  for (const m of requiredWireMembers(model, op)) {
    if (!present(m.ref, h, query)) {
      wire(
        m.name,
        'required',
        `${op.name} needs ${m.ref.location} ${m.ref.locationName ?? m.name} (${m.name})`,
      );
    }
  }
  checkHostPrefix(op, input, h, wire);
  checkRequestChecksum(op, input, h, wire);
  return { service, operation: op.name, input, violations };
}

/** The model gives the payload's root element an xmlNamespace: the body must declare it. */
function checkNamespace(
  operation: string,
  uri: string | undefined,
  el: XmlElement,
  path: string,
  wire: (path: string, rule: string, message: string) => void,
): void {
  if (uri !== undefined && el.attributes.xmlns !== uri) {
    wire(
      path,
      'xml-namespace',
      `${operation}'s <${el.name}> is in namespace ${uri}; got ${el.attributes.xmlns ?? 'none'}`,
    );
  }
}

function parseBody(body: Buffer, violations: Violation[]): XmlElement | undefined {
  try {
    return parseXml(body.toString('utf8'));
  } catch (e) {
    violations.push({
      path: '',
      rule: 'body',
      message: `the XML body does not parse: ${(e as Error).message}`,
    });
    return undefined;
  }
}

/** The XML element's content as the SDK input value of `ref` (botocore's rest-xml serialiser, read backwards). */
function fromXml(
  model: ServiceModel,
  ref: ShapeRef,
  el: XmlElement,
  path: string,
  violations: Violation[],
  only?: Set<string>,
): unknown {
  const shape = shapeOf(model, ref.shape);
  const at = (name: string) => (path ? `${path}.${name}` : name);
  if (shape.type === 'structure') {
    const out: Record<string, unknown> = {};
    const members = Object.entries(shape.members ?? {}).filter(([n]) => !only || only.has(n));
    const claimed = new Set<XmlElement>();
    for (const [name, m] of members) {
      const xmlName = m.locationName ?? name;
      if (m.xmlAttribute) {
        const v = el.attributes[xmlName];
        if (v !== undefined) out[name] = scalar(model, m, v, 'iso8601', at(name), violations);
        continue;
      }
      const mShape = shapeOf(model, m.shape);
      const flat = (mShape.type === 'list' || mShape.type === 'map') && (m.flattened || mShape.flattened);
      const matches = el.children.filter((c) => localName(c.name) === xmlName);
      matches.forEach((c) => claimed.add(c));
      if (matches.length === 0) continue;
      if (flat && mShape.type === 'list') {
        out[name] = matches.map((c, i) =>
          fromXml(model, mShape.member as ShapeRef, c, `${at(name)}[${i}]`, violations),
        );
      } else {
        if (matches.length > 1)
          violations.push({
            path: at(name),
            rule: 'type',
            message: `<${xmlName}> appears ${matches.length} times`,
          });
        out[name] = fromXml(model, m, matches[0] as XmlElement, at(name), violations);
      }
    }
    for (const c of el.children) {
      if (!claimed.has(c)) {
        violations.push({
          path: at(localName(c.name)),
          rule: 'unknown-member',
          message: `${ref.shape} has no member serialised as <${c.name}>`,
        });
      }
    }
    return out;
  }
  if (shape.type === 'list') {
    const itemName = shape.member?.locationName ?? 'member';
    return el.children.map((c, i) => {
      if (localName(c.name) !== itemName) {
        violations.push({
          path: `${path}[${i}]`,
          rule: 'unknown-member',
          message: `${ref.shape}'s items are <${itemName}>; got <${c.name}>`,
        });
      }
      return fromXml(model, shape.member as ShapeRef, c, `${path}[${i}]`, violations);
    });
  }
  if (shape.type === 'map') {
    const out: Record<string, unknown> = {};
    const k = shape.key?.locationName ?? 'key';
    const v = shape.value?.locationName ?? 'value';
    for (const entry of el.children) {
      const key = entry.children.find((c) => localName(c.name) === k)?.text ?? '';
      const value = entry.children.find((c) => localName(c.name) === v);
      out[key] = value
        ? fromXml(model, shape.value as ShapeRef, value, `${path}.${key}`, violations)
        : undefined;
    }
    return out;
  }
  if (el.children.length) {
    violations.push({ path, rule: 'type', message: `${ref.shape} is a ${shape.type}; got child elements` });
  }
  return scalar(model, ref, el.text, 'iso8601', path, violations);
}

/** aws-chunked bodies (streaming SigV4 or trailing checksums) back to their bytes. */
function decodeAwsChunked(body: Buffer, h: Headers, violations: Violation[]): Buffer {
  const sha = h.get('x-amz-content-sha256') ?? '';
  const chunked = sha.startsWith('STREAMING-') || (h.get('content-encoding') ?? '').includes('aws-chunked');
  if (!chunked) return body;
  const parts: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const eol = body.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(body.subarray(i, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) {
      violations.push({ path: '', rule: 'body', message: 'an aws-chunked body with a bad chunk header' });
      return body;
    }
    if (size === 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** S3 Control's `{AccountId}.` host prefix: a host that carries an account id must carry the right one. */
function checkHostPrefix(
  op: Operation,
  input: Record<string, unknown>,
  h: Headers,
  wire: (path: string, rule: string, message: string) => void,
): void {
  const prefix = op.endpoint?.hostPrefix;
  if (!prefix) return;
  const expected = prefix.replace(/\{([^}]+)\}/g, (_all, name: string) => String(input[name] ?? ''));
  const host = h.get('host') ?? '';
  const first = /^(\d{12})\./.exec(host)?.[1];
  if (first !== undefined && `${first}.` !== expected) {
    wire('AccountId', 'host-prefix', `${op.name} goes to host ${expected}...; got ${host}`);
  }
}

/** httpChecksum.requestChecksumRequired: Content-MD5 or an x-amz-checksum-* (header or trailer). */
function checkRequestChecksum(
  op: Operation,
  input: Record<string, unknown>,
  h: Headers,
  wire: (path: string, rule: string, message: string) => void,
): void {
  const trailer = (h.get('x-amz-trailer') ?? '').toLowerCase();
  const has = (alg: string) => h.has(`x-amz-checksum-${alg}`) || trailer.includes(`x-amz-checksum-${alg}`);
  const any =
    h.has('content-md5') ||
    [...h.keys()].some((k) => k.startsWith('x-amz-checksum-') && k !== 'x-amz-checksum-mode') ||
    trailer.includes('x-amz-checksum-');
  if (op.httpChecksum?.requestChecksumRequired && !any) {
    wire(
      '',
      'httpChecksum.requestChecksumRequired',
      `${op.name} requires a request checksum (Content-MD5 or x-amz-checksum-*); none was sent`,
    );
  }
  const member = op.httpChecksum?.requestAlgorithmMember;
  const alg = member ? input[member] : undefined;
  if (typeof alg === 'string' && !has(alg.toLowerCase())) {
    wire(
      member ?? '',
      'httpChecksum.requestAlgorithmMember',
      `${op.name} names checksum algorithm ${alg} but sends no x-amz-checksum-${alg.toLowerCase()}`,
    );
  }
}
