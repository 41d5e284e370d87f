// The rest-xml protocol (S3, S3 Control): the operation from method + requestUri (labels, {Key+},
// query literals such as `?tagging`), members from uri / querystring / header / headers (the
// x-amz-meta- map) bindings and the XML payload (botocore's rest-xml serialiser read backwards).
import type { Violation } from './check-input.js';
import {
  serviceModel,
  shapeOf,
  type Operation,
  type ServiceModel,
  type ServiceName,
  type ShapeRef,
} from './models.js';
import { checkHostPrefix, checkNamespace, checkRequestChecksum, decodeAwsChunked } from './wire-checks.js';
import { unknownRequest, type WireResult } from './wire-result.js';
import { decode, parseQuery, scalar, type Headers, type QueryParam } from './wire-values.js';
import { localName, parseXml, type XmlElement } from './xml.js';

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

export function fromRestXml(
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
    return unknownRequest(what, `matches no ${service} operation's method and requestUri`, service);
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
