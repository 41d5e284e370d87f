import type { Statement } from './document.js';
import type { NamedDocument } from './documents.js';
import { formatHcl } from './hcl-format.js';

/** A list stays on one line while it is short; longer ones get one item per line, as people write them. */
const INLINE_MAX_ITEMS = 2;
const INLINE_MAX_CHARS = 100;

/**
 * An HCL string literal: quotes and backslashes escaped, and `${` / `%{` so IAM variables stay literal.
 * @internal
 */
export function hclString(s: string): string {
  return `"${s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{')}"`;
}

function list(name: string, values: string[]): string[] {
  const items = values.map(hclString);
  const inline = `${name} = [${items.join(', ')}]`;
  if (items.length <= INLINE_MAX_ITEMS && inline.length <= INLINE_MAX_CHARS) return [inline];
  return [`${name} = [`, ...items.map((v) => `${v},`), ']'];
}

function statementBlock(s: Statement): string[] {
  const out = [
    'statement {',
    `sid = ${hclString(s.Sid)}`,
    `effect = ${hclString(s.Effect)}`,
    ...list('actions', s.Action),
  ];
  if (s.Resource) out.push(...list('resources', s.Resource));
  for (const [type, ids] of Object.entries(s.Principal ?? {}) as [string, string[] | undefined][]) {
    if (!ids) continue;
    out.push('', 'principals {', `type = ${hclString(type)}`, ...list('identifiers', ids), '}');
  }
  for (const [test, block] of Object.entries(s.Condition ?? {}))
    for (const [variable, values] of Object.entries(block))
      out.push(
        '',
        'condition {',
        `test = ${hclString(test)}`,
        `variable = ${hclString(variable)}`,
        ...list('values', values),
        '}',
      );
  out.push('}');
  return out;
}

/** Terraform data-source name for a document: `s3_encrypt_<name>` in snake case. */
function dataName(name: string): string {
  return `s3_encrypt_${name.replace(/[^a-z0-9]+/g, '_')}`;
}

/**
 * One `data "aws_iam_policy_document"` block per document, formatted by the rules of
 * terraform fmt. Reference them as data.aws_iam_policy_document.<name>.json.
 */
export function toTerraform(docs: NamedDocument[]): string {
  const lines: string[] = [];
  docs.forEach((d, i) => {
    if (i > 0) lines.push('');
    lines.push(`# ${d.name}: ${d.attachTo}`);
    lines.push(`data "aws_iam_policy_document" ${hclString(dataName(d.name))} {`);
    d.policy.Statement.forEach((s, j) => {
      if (j > 0) lines.push('');
      lines.push(...statementBlock(s));
    });
    lines.push('}');
  });
  return formatHcl(lines.join('\n'));
}
