import type { Readable } from 'node:stream';

/**
 * A lean response's body as text (S3's XML answers are small: error documents, pages). With
 * `max`, reading stops (and the stream is destroyed) once that many bytes arrived: for answers
 * that may not be the small document they should be.
 */
export async function bodyText(body: Readable, max = Infinity): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    const b = Buffer.from(c as Uint8Array);
    chunks.push(b);
    size += b.length;
    if (size >= max) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of the first <name> element, XML entities decoded. */
export function elementText(xml: string, name: string): string | undefined {
  const open = xml.indexOf(`<${name}>`);
  if (open < 0) return xml.includes(`<${name}/>`) ? '' : undefined;
  const start = open + name.length + 2;
  const end = xml.indexOf(`</${name}>`, start);
  if (end < 0) return undefined;
  return unescapeXml(xml.slice(start, end));
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** @internal */
export function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (_m, hex?: string, dec?: string, name?: string) =>
    hex !== undefined
      ? String.fromCodePoint(parseInt(hex, 16))
      : dec !== undefined
        ? String.fromCodePoint(Number(dec))
        : (NAMED[name as string] as string),
  );
}
