// Text on the wire (query strings, headers, XML text, form fields) back into the values an SDK
// input holds, as the model's shapes and timestamp formats say.
import type { Violation } from './check-input.js';
import { shapeOf, type ServiceModel, type ShapeRef } from './models.js';

export type Headers = Map<string, string>;

export interface QueryParam {
  key: string;
  value: string;
  /** `?versions` as against `?versions=` */
  bare: boolean;
}

export function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseQuery(q: string, plusIsSpace = false): QueryParam[] {
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

/** Text (header, query, XML element) -> the value the SDK's input would hold. */
export function scalar(
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
