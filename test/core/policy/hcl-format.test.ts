import { describe, expect, it } from 'vitest';
import { formatHcl } from '../../../src/core/policy/hcl-format.js';
import { balanced, layoutProblems } from './hcl-check.js';

describe('formatHcl (terraform fmt rules)', () => {
  const messy = [
    'data "aws_iam_policy_document" "x" {',
    '      statement {',
    'sid = "A"',
    '   effect    =   "Allow"',
    'actions = [',
    '"s3:GetObject",',
    ']',
    'resources = ["arn:aws:s3:::b/*"]',
    '',
    'condition {',
    'test = "StringEquals"',
    'variable = "kms:ViaService"',
    'values = ["s3.us-east-1.amazonaws.com"]',
    '}',
    '}',
    '}',
    '',
    '',
  ].join('\n');

  const expected = `data "aws_iam_policy_document" "x" {
  statement {
    sid    = "A"
    effect = "Allow"
    actions = [
      "s3:GetObject",
    ]
    resources = ["arn:aws:s3:::b/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.us-east-1.amazonaws.com"]
    }
  }
}
`;

  it('indents two spaces per level, aligns "=" per chain, and breaks chains at multi-line values and blocks', () => {
    expect(formatHcl(messy)).toBe(expected);
  });

  it('is idempotent, and its output passes the independent layout check', () => {
    expect(formatHcl(expected)).toBe(expected);
    expect(layoutProblems(expected)).toEqual([]);
    expect(balanced(expected)).toBe(true);
  });

  it('does not treat brackets, "=" or "#" inside strings as syntax', () => {
    const out = formatHcl('a {\nx = "{[=#"\nlonger_name = "]}"\n}\n');
    expect(out).toBe('a {\n  x           = "{[=#"\n  longer_name = "]}"\n}\n');
    expect(layoutProblems(out)).toEqual([]);
  });

  it('keeps comparison operators out of alignment', () => {
    expect(formatHcl('a {\nx = 1 == 2\nyy = 3\n}')).toBe('a {\n  x  = 1 == 2\n  yy = 3\n}\n');
  });
});

describe('the layout check can fail', () => {
  it.each([
    ['a {\n  x = 1\n  yy = 2\n}\n', /chain aligns/],
    ['a {\n x = 1\n}\n', /indent 1, expected 2/],
    ['a {\n  x = 1 \n}\n', /trailing whitespace/],
    ['a {\n  x = 1\n}', /one newline/],
    ['a {\n  list  = [\n    "x",\n  ]\n}\n', /one space before/],
  ])('%j', (text, problem) => {
    expect(layoutProblems(text).join('\n')).toMatch(problem);
  });
  it('finds unbalanced braces', () => {
    expect(balanced('a {\n  b {\n}\n')).toBe(false);
    expect(balanced('}\n{\n')).toBe(false);
  });
});
