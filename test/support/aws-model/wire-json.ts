// The json 1.1 protocol (KMS): X-Amz-Target names the operation, the JSON body is the input.
import { isPlainObject, type Violation } from './check-input.js';
import { serviceModel, SERVICES } from './models.js';
import { unknownRequest, type WireResult } from './wire-result.js';
import type { Headers } from './wire-values.js';

export function fromJson(method: string, target: string, h: Headers, body: Buffer, what: string): WireResult {
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const service = SERVICES.find((s) => serviceModel(s).metadata.targetPrefix === prefix);
  if (!service) return unknownRequest(what, `X-Amz-Target ${target} names no modelled service`);
  const model = serviceModel(service);
  const operation = target.slice(dot + 1);
  if (!model.operations[operation])
    return unknownRequest(what, `${service} has no operation ${operation}`, service);
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
