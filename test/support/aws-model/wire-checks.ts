// Wire-level rules of rest-xml requests beyond the members: aws-chunked bodies, the XML
// namespace of a payload, S3 Control's host prefix, and a required request checksum.
import type { Violation } from './check-input.js';
import type { Operation } from './models.js';
import type { Headers } from './wire-values.js';
import type { XmlElement } from './xml.js';

export type Report = (path: string, rule: string, message: string) => void;

/** aws-chunked bodies (streaming SigV4 or trailing checksums) back to their bytes. */
export function decodeAwsChunked(body: Buffer, h: Headers, violations: Violation[]): Buffer {
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

/** The model gives the payload's root element an xmlNamespace: the body must declare it. */
export function checkNamespace(
  operation: string,
  uri: string | undefined,
  el: XmlElement,
  path: string,
  wire: Report,
): void {
  if (uri !== undefined && el.attributes.xmlns !== uri) {
    wire(
      path,
      'xml-namespace',
      `${operation}'s <${el.name}> is in namespace ${uri}; got ${el.attributes.xmlns ?? 'none'}`,
    );
  }
}

/** S3 Control's `{AccountId}.` host prefix: a host that carries an account id must carry the right one. */
export function checkHostPrefix(
  op: Operation,
  input: Record<string, unknown>,
  h: Headers,
  wire: Report,
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
export function checkRequestChecksum(
  op: Operation,
  input: Record<string, unknown>,
  h: Headers,
  wire: Report,
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
