// A small XML reader for request bodies (S3 and S3 Control payloads): elements, attributes, text,
// CDATA and the five entities plus character references. Enough for what an SDK serialises; it
// throws on anything malformed, which the conformance check reports as a violation.
export interface XmlElement {
  /** The name as written, prefix included (`xsi:type`). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`unknown XML entity ${all}`);
    return v;
  });
}

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new Error(`malformed XML at offset ${i}: ${what}`);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk) {
      const top = stack.at(-1);
      if (top) top.text += decodeEntities(chunk);
      else if (chunk.trim()) fail('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unclosed <?');
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('unclosed CDATA');
      const top = stack.at(-1) ?? fail('CDATA outside the root element');
      top.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      if (end < 0) fail('unclosed end tag');
      const name = text.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || top.name !== name) fail(`</${name}> closes <${top?.name ?? ''}>`);
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
        text.slice(i),
      );
      if (!m) fail('bad start tag');
      const [all, name = '', attrText = '', selfClose] = m as RegExpExecArray;
      const el: XmlElement = { name, attributes: {}, children: [], text: '' };
      for (const a of attrText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        el.attributes[a[1] as string] = decodeEntities(a[2] ?? a[3] ?? '');
      }
      const parent = stack.at(-1);
      if (parent) parent.children.push(el);
      else if (root) fail('a second root element');
      else root = el;
      if (!selfClose) stack.push(el);
      i += all.length;
    }
  }
  if (stack.length) fail(`<${stack.at(-1)?.name ?? ''}> is never closed`);
  return root ?? fail('no root element');
}
