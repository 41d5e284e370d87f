// An independent reading of terraform fmt's layout rules, to check printed HCL without terraform.

function brackets(line: string): { net: number; minPrefix: number } {
  let net = 0;
  let min = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '#') break;
    else if ('{[('.includes(c as string)) net++;
    else if ('}])'.includes(c as string)) min = Math.min(min, --net);
  }
  return { net, minPrefix: min };
}

/** Braces, brackets and parentheses balance and never close more than is open. */
export function balanced(text: string): boolean {
  let depth = 0;
  for (const line of text.split('\n')) {
    const b = brackets(line);
    if (depth + b.minPrefix < 0) return false;
    depth += b.net;
  }
  return depth === 0;
}

const ASSIGN = /^( *)([A-Za-z_][A-Za-z0-9_-]*)( +)= (.*)$/;

/** Every departure from terraform fmt's layout: indentation, `=` alignment in chains, whitespace. */
export function layoutProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n') || text.endsWith('\n\n')) problems.push('must end with exactly one newline');
  const lines = text.replace(/\n$/, '').split('\n');
  let depth = 0;
  let chain: { line: number; nameEnd: number; eq: number }[] = [];
  const closeChain = () => {
    if (chain.length > 0) {
      const want = Math.max(...chain.map((c) => c.nameEnd)) + 1;
      for (const c of chain)
        if (c.eq !== want) problems.push(`line ${c.line}: "=" at column ${c.eq}, chain aligns at ${want}`);
    }
    chain = [];
  };
  lines.forEach((line, i) => {
    const n = i + 1;
    if (/\s$/.test(line)) problems.push(`line ${n}: trailing whitespace`);
    if (line.includes('\t')) problems.push(`line ${n}: tab`);
    if (line === '') {
      if (lines[i - 1] === '') problems.push(`line ${n}: two blank lines`);
      closeChain();
      return;
    }
    const b = brackets(line);
    const opens = b.net > 0;
    const expectedDepth = b.net < 0 ? depth + b.net : depth;
    const indent = line.length - line.trimStart().length;
    if (indent !== 2 * expectedDepth)
      problems.push(`line ${n}: indent ${indent}, expected ${2 * expectedDepth}`);
    depth += b.net;
    const m = ASSIGN.exec(line);
    const value = m?.[4] ?? '';
    if (m && brackets(value).net === 0) {
      chain.push({
        line: n,
        nameEnd: (m[1] as string).length + (m[2] as string).length,
        eq: line.indexOf('='),
      });
      return;
    }
    closeChain();
    if (m && (m[3] as string) !== ' ')
      problems.push(`line ${n}: a multi-line value has one space before "="`);
    if (opens && !/[{[(]$/.test(line)) problems.push(`line ${n}: an opening line ends with its bracket`);
  });
  closeChain();
  return problems;
}
