/**
 * A formatter for the HCL s3-encrypt prints, following the rules of terraform fmt (hclwrite's
 * format.go), since terraform itself is not available to run:
 * - indentation: two spaces per open bracket level, counted per line by net brackets outside
 *   strings; a line that closes brackets is indented at the level it closes to;
 * - an "assign" line is `name = value` whose value is bracket-balanced on that line; a multi-line
 *   value (`name = [`), a block header, a closing bracket, a comment or a blank line is not;
 * - consecutive assign lines form a chain, and within a chain every `=` is aligned one space after
 *   the longest name (any other line ends the chain);
 * - no trailing spaces, and exactly one newline at the end.
 */

interface Scan {
  /** Net bracket change of the line, outside quoted strings. */
  net: number;
  /** Index of the first `=` outside strings that is an assignment (not ==, <=, >=, !=). */
  eq: number;
  /** Net brackets after that `=`. */
  netAfterEq: number;
}

function scan(line: string): Scan {
  let net = 0;
  let eq = -1;
  let netAfterEq = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '#' || (c === '/' && line[i + 1] === '/')) break;
    if (c === '"') inString = true;
    else if (c === '{' || c === '[' || c === '(') {
      net++;
      if (eq >= 0) netAfterEq++;
    } else if (c === '}' || c === ']' || c === ')') {
      net--;
      if (eq >= 0) netAfterEq--;
    } else if (c === '=' && eq < 0 && i > 0) {
      const prev = line[i - 1];
      const next = line[i + 1];
      if (next !== '=' && prev !== '=' && prev !== '!' && prev !== '<' && prev !== '>') eq = i;
    }
  }
  return { net, eq, netAfterEq };
}

export function formatHcl(text: string): string {
  const raw = text.split('\n').map((l) => l.trim());
  while (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();

  // Pass 1: indentation from the bracket stack.
  const stack: number[] = [];
  const lines = raw.map((line) => {
    if (line === '') return { text: '', indent: 0, scan: undefined };
    const s = scan(line);
    let indent: number;
    if (s.net > 0) {
      indent = stack.length;
      stack.push(s.net);
    } else if (s.net < 0) {
      let closed = -s.net;
      while (closed > 0 && stack.length > 0) {
        const top = stack[stack.length - 1] as number;
        if (closed >= top) {
          closed -= top;
          stack.pop();
        } else {
          stack[stack.length - 1] = top - closed;
          closed = 0;
        }
      }
      indent = stack.length;
    } else indent = stack.length;
    return { text: line, indent, scan: s };
  });

  // Pass 2: split assign lines into name and value, then align each chain's `=`.
  const cells = lines.map((l) => {
    const s = l.scan;
    const isAssign = s !== undefined && s.eq > 0 && s.netAfterEq === 0;
    if (!isAssign) return { ...l, lead: undefined as string | undefined, value: '' };
    return { ...l, lead: l.text.slice(0, s.eq).trimEnd(), value: l.text.slice(s.eq + 1).trim() };
  });
  const out: string[] = [];
  let i = 0;
  while (i < cells.length) {
    const c = cells[i] as (typeof cells)[number];
    if (c.lead === undefined) {
      out.push(c.text === '' ? '' : `${'  '.repeat(c.indent)}${c.text}`);
      i++;
      continue;
    }
    let j = i;
    let width = 0;
    while (j < cells.length && cells[j]?.lead !== undefined) {
      const d = cells[j] as (typeof cells)[number];
      width = Math.max(width, d.indent * 2 + (d.lead as string).length);
      j++;
    }
    for (let k = i; k < j; k++) {
      const d = cells[k] as (typeof cells)[number];
      const lead = `${'  '.repeat(d.indent)}${d.lead as string}`;
      out.push(`${lead.padEnd(width)} = ${d.value}`.trimEnd());
    }
    i = j;
  }
  return `${out.join('\n')}\n`;
}
