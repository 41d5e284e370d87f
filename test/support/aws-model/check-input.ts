// Validates a request input (the SDK's field names, which are the model's member names) against
// the input shape AWS's own model gives the operation: required members, enums, min/max (length
// of strings, lists and maps; value of numbers), patterns, unions, members the shape does not
// have, and each value's type. What the SDK and our lean clients send must pass this, and so
// must every request a --dry-run prints as "exactly what would be sent".
import { serviceModel, shapeOf, type ServiceModel, type ServiceName, type ShapeRef } from './models.js';

export interface Violation {
  path: string;
  rule: string;
  message: string;
}

export function checkInput(service: ServiceName, operation: string, input: unknown): Violation[] {
  const model = serviceModel(service);
  const op = model.operations[operation];
  if (!op) {
    return [
      {
        path: '',
        rule: 'unknown-operation',
        message: `the ${service} model has no operation ${operation}`,
      },
    ];
  }
  const out: Violation[] = [];
  if (!op.input) {
    if (input !== undefined && !isEmptyObject(input)) {
      out.push({ path: '', rule: 'unknown-member', message: `${operation} takes no input` });
    }
    return out;
  }
  checkValue(model, op.input, input ?? {}, '', out);
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function isEmptyObject(v: unknown): boolean {
  return isPlainObject(v) && Object.values(v).every((x) => x === undefined);
}

const patterns = new Map<string, RegExp>();
/** botocore patterns are Smithy @pattern: ECMA-262, not anchored; `\p{L}` needs the u flag. */
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    try {
      re = new RegExp(source, 'u');
    } catch {
      // A few s3control / sts patterns escape characters the u flag refuses (`\_`); without it
      // they mean the same thing.
      re = new RegExp(source);
    }
    patterns.set(source, re);
  }
  return re;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a Date';
  if (v instanceof Uint8Array) return 'bytes';
  const text = typeof v === 'string' ? JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v) : String(v);
  return `${typeof v} ${text}`;
}

function isStream(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { pipe?: unknown }).pipe === 'function';
}

function checkValue(
  model: ServiceModel,
  ref: ShapeRef,
  value: unknown,
  path: string,
  out: Violation[],
): void {
  const shape = shapeOf(model, ref.shape);
  const bad = (rule: string, message: string) => out.push({ path, rule, message });
  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) {
        bad('type', `${ref.shape} is a structure; got ${describe(value)}`);
        return;
      }
      const members = shape.members ?? {};
      for (const name of shape.required ?? []) {
        if (value[name] === undefined) {
          out.push({ path: join(path, name), rule: 'required', message: `${ref.shape}.${name} is required` });
        }
      }
      const set = Object.keys(value).filter((k) => value[k] !== undefined);
      if (shape.union && set.length !== 1) {
        bad(
          'union',
          `${ref.shape} is a union: exactly one member must be set, got ${set.length} (${set.join(', ') || 'none'})`,
        );
      }
      for (const name of set) {
        const member = members[name];
        const at = join(path, name);
        if (!member) {
          out.push({
            path: at,
            rule: 'unknown-member',
            message: `${ref.shape} has no member ${name} (members: ${Object.keys(members).join(', ')})`,
          });
          continue;
        }
        checkValue(model, member, value[name], at, out);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        bad('type', `${ref.shape} is a list; got ${describe(value)}`);
        return;
      }
      checkSize(shape.min, shape.max, value.length, ref.shape, 'items', bad);
      value.forEach((item, i) => checkValue(model, shape.member as ShapeRef, item, `${path}[${i}]`, out));
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) {
        bad('type', `${ref.shape} is a map; got ${describe(value)}`);
        return;
      }
      const keys = Object.keys(value).filter((k) => value[k] !== undefined);
      checkSize(shape.min, shape.max, keys.length, ref.shape, 'entries', bad);
      for (const k of keys) {
        checkValue(model, shape.key as ShapeRef, k, `${path}{${k}}`, out);
        checkValue(model, shape.value as ShapeRef, value[k], join(path, k), out);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        bad('type', `${ref.shape} is a string; got ${describe(value)}`);
        return;
      }
      if (shape.enum && !shape.enum.includes(value)) {
        bad('enum', `${describe(value)} is not one of ${ref.shape}: ${shape.enum.join(' | ')}`);
      }
      // Smithy @length on strings counts characters (code points), not UTF-16 units.
      checkSize(shape.min, shape.max, [...value].length, ref.shape, 'characters', bad);
      if (shape.pattern !== undefined && !patternOf(shape.pattern).test(value)) {
        bad('pattern', `${describe(value)} does not match ${ref.shape}'s pattern /${shape.pattern}/`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      const ok =
        (typeof value === 'number' && Number.isInteger(value)) ||
        (shape.type === 'long' && typeof value === 'bigint');
      if (!ok) {
        bad(
          'type',
          `${ref.shape} is ${shape.type === 'long' ? 'a long' : 'an integer'}; got ${describe(value)}`,
        );
        return;
      }
      const n = Number(value);
      if (shape.type === 'integer' && (n < INT32.min || n > INT32.max)) {
        bad('type', `${n} does not fit ${ref.shape} (a 32-bit integer)`);
      }
      checkRange(shape.min, shape.max, n, ref.shape, bad);
      return;
    }
    case 'float':
    case 'double': {
      if (typeof value !== 'number' || Number.isNaN(value)) {
        bad('type', `${ref.shape} is a number; got ${describe(value)}`);
        return;
      }
      checkRange(shape.min, shape.max, value, ref.shape, bad);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') bad('type', `${ref.shape} is a boolean; got ${describe(value)}`);
      return;
    case 'timestamp': {
      // The SDK takes a Date, epoch seconds, or a date string; a dry run's JSON carries strings.
      const ok =
        (value instanceof Date && !Number.isNaN(value.getTime())) ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
      if (!ok) bad('type', `${ref.shape} is a timestamp; got ${describe(value)}`);
      return;
    }
    case 'blob': {
      const ok = typeof value === 'string' || value instanceof Uint8Array || isStream(value);
      if (!ok) bad('type', `${ref.shape} is a blob; got ${describe(value)}`);
      else if (typeof value === 'string' || value instanceof Uint8Array) {
        checkSize(shape.min, shape.max, value.length, ref.shape, 'bytes', bad);
      }
      return;
    }
    default:
      bad(
        'type',
        `${ref.shape} has a type this checker does not know: ${String((shape as { type: unknown }).type)}`,
      );
  }
}

function checkSize(
  min: number | undefined,
  max: number | undefined,
  size: number,
  shape: string,
  unit: string,
  bad: (rule: string, message: string) => void,
): void {
  if (min !== undefined && size < min) bad('min', `${shape} needs at least ${min} ${unit}; got ${size}`);
  if (max !== undefined && size > max) bad('max', `${shape} takes at most ${max} ${unit}; got ${size}`);
}

function checkRange(
  min: number | undefined,
  max: number | undefined,
  n: number,
  shape: string,
  bad: (rule: string, message: string) => void,
): void {
  if (min !== undefined && n < min) bad('min', `${shape} is at least ${min}; got ${n}`);
  if (max !== undefined && n > max) bad('max', `${shape} is at most ${max}; got ${n}`);
}

/** For callers that hold a model service name from elsewhere (wire.ts). */
export type { ServiceName };
