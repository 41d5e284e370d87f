// The query protocol (STS): Action= and Version= in a form body, members as flattened parameters
// (Name.member.N for lists, Name.entry.N.key / .value for maps).
import type { Violation } from './check-input.js';
import { serviceModel, shapeOf, type ServiceModel, type ServiceName, type ShapeRef } from './models.js';
import { unknownRequest, type WireResult } from './wire-result.js';
import { parseQuery, scalar, type QueryParam } from './wire-values.js';

export function fromQuery(
  service: ServiceName,
  urlQuery: QueryParam[],
  body: Buffer,
  what: string,
): WireResult {
  const model = serviceModel(service);
  const params = new Map<string, string>();
  for (const p of [...urlQuery, ...parseQuery(body.toString('utf8'), true)]) params.set(p.key, p.value);
  const action = params.get('Action');
  if (!action) return unknownRequest(what, `a ${service} query request without Action=`, service);
  const op = model.operations[action];
  if (!op) return unknownRequest(what, `${service} has no operation ${action}`, service);
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
