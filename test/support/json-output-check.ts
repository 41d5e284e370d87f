// Every line a test captures from `--json` output is checked against the zod schema of its kind
// (src/output/json/, published as docs/json/<name>.schema.json). runCli (in-process) and runBin
// (the built CLI) call checkJsonOutput; a line that breaks its schema fails the test that
// captured it, naming the schema, the path and the rule. The kinds seen are written under
// .local/json-schemas/<tier>/ for json-schemas-setup.ts to count at the end of the run.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { z } from 'zod';
import { JSON_DOCUMENTS } from '../../src/output/json/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type JsonDocumentName = (typeof JSON_DOCUMENTS)[number]['name'];

const has = (v: unknown, key: string): boolean => typeof v === 'object' && v !== null && key in v;

/**
 * Which document a line of `command --json` output is, read from its shape the way a consumer
 * tells them apart: `error` is any command's error document; a `summary` key is the last line of
 * verify and encrypt; audit's lines say their `type`; create-job's records carry a `jobId`.
 * Undefined for a command that writes no JSON.
 */
export function documentKind(command: string, value: unknown): JsonDocumentName | undefined {
  if (has(value, 'error')) return 'error';
  switch (command) {
    case 'verify':
      return has(value, 'summary') ? 'verify-summary' : 'verify-record';
    case 'encrypt':
      return has(value, 'summary') ? 'encrypt-summary' : 'encrypt-record';
    case 'audit':
      return (value as { type?: unknown }).type === 'summary' ? 'audit-summary' : 'audit-record';
    case 'create-job':
      if (has(value, 'jobId')) return 'create-job-record';
      return has(value, 'requests') ? 'create-job-dry-run' : 'create-job-nothing-to-do';
    case 'plan':
    case 'policy':
    case 'enable-sse':
    case 'setup-inventory':
    case 'status':
      return command;
    case 'build-manifest':
      return 'build-manifest-summary';
    default:
      return undefined;
  }
}

function jsonDocument(name: JsonDocumentName): (typeof JSON_DOCUMENTS)[number] {
  const d = JSON_DOCUMENTS.find((x) => x.name === name);
  if (!d) throw new Error(`no JSON document named ${name}`);
  return d;
}

/**
 * Where the kinds seen by this run's test processes are written (one file per process): the
 * global setup names one directory per run (two runs at once must not count each other's).
 */
export function seenDir(): string {
  return (
    process.env.S3E_JSON_SEEN_DIR ?? resolve(ROOT, '.local/json-schemas', process.env.S3E_TIER ?? 'unit')
  );
}

const seenHere = new Set<string>();

/** Notes "<schema> <test file>" once per process. */
function noteSeen(name: JsonDocumentName, value: unknown): void {
  const testPath = expect.getState().testPath;
  const file = testPath ? relative(ROOT, testPath) : '(outside a test)';
  const variant = variantOf(name, value);
  const entry = `${name} ${file}${variant ? ` ${variant}` : ''}`;
  if (seenHere.has(entry)) return;
  seenHere.add(entry);
  const dir = seenDir();
  mkdirSync(dir, { recursive: true });
  appendFileSync(resolve(dir, `${process.pid}.txt`), `${entry}\n`);
}

/**
 * The branch of a schema with alternatives a line took (a schema is exercised per branch too:
 * the count says which branches no captured output reached).
 */
export const VARIANTS: Partial<Record<JsonDocumentName, readonly string[]>> = {
  'verify-summary': ['live', 'inventory'],
  'encrypt-summary': ['run', 'empty-source'],
  policy: ['json', 'terraform'],
  'setup-inventory': ['own-destination', 'other-account'],
  status: ['running', 'report-read', 'report-missing'],
  'audit-record': ['bucket', 'account'],
};

function variantOf(name: JsonDocumentName, value: unknown): string | undefined {
  const v = value as Record<string, Record<string, unknown> | undefined>;
  switch (name) {
    case 'verify-summary':
      return v.summary?.source === 'inventory' ? 'inventory' : 'live';
    case 'encrypt-summary':
      return v.summary?.bucket === undefined ? 'empty-source' : 'run';
    case 'policy':
      return String(v.format);
    case 'setup-inventory':
      return v.destinationPolicy?.outcome === 'skipped' ? 'other-account' : 'own-destination';
    case 'status':
      return v.report === null
        ? 'running'
        : v.report?.missing !== undefined
          ? 'report-missing'
          : 'report-read';
    case 'audit-record':
      return String(v.type);
    default:
      return undefined;
  }
}

/** The flags before `--` (the CLI reads --json, --help, --version only there). */
function flagsOf(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return end < 0 ? [...argv] : argv.slice(0, end);
}

const COMMANDS = new Set([
  'plan',
  'policy',
  'enable-sse',
  'setup-inventory',
  'build-manifest',
  'create-job',
  'status',
  'encrypt',
  'verify',
  'audit',
]);

/** The first issue of a failed parse, with a union's closest branch opened up. */
function firstIssue(error: z.ZodError): { path: PropertyKey[]; code: string; message: string } {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  let prefix: PropertyKey[] = [];
  while (issue?.code === 'invalid_union' && issue.errors.length > 0) {
    const branch = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    prefix = [...prefix, ...issue.path];
    issue = branch[0];
  }
  if (!issue) return { path: [], code: 'unknown', message: 'invalid' };
  return { path: [...prefix, ...issue.path], code: issue.code, message: issue.message };
}

function jsonPath(path: PropertyKey[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
}

/** The problem with one line of `argv`'s --json output, or undefined when it is what its schema says. */
export function checkJsonLine(
  argv: readonly string[],
  line: string,
  onValid?: (name: JsonDocumentName, value: unknown) => void,
): string | undefined {
  const command = flagsOf(argv).find((a) => COMMANDS.has(a)) ?? '';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `not JSON (--json stdout carries only JSON): ${line.slice(0, 200)}`;
  }
  const name = documentKind(command, value);
  if (!name) return `no JSON schema for a line of "${command || '(no command)'}": ${line.slice(0, 200)}`;
  const parsed = jsonDocument(name).schema.safeParse(value);
  if (parsed.success) {
    onValid?.(name, value);
    return undefined;
  }
  const i = firstIssue(parsed.error);
  const more = parsed.error.issues.length > 1 ? ` (+${parsed.error.issues.length - 1} more)` : '';
  return `schema "${name}" (docs/json/${name}.schema.json): at ${jsonPath(i.path)}: ${i.code}: ${i.message}${more}\n  line: ${line.slice(0, 400)}`;
}

/** Throws naming every line of `stdout` that breaks its schema, when `argv` asked for --json. */
export function checkJsonOutput(
  argv: readonly string[],
  stdout: string,
  origin: string,
  /** killed: the process died (its last line may be cut); count: false for lines a test made up. */
  opts: { killed?: boolean; count?: boolean } = {},
): void {
  const flags = flagsOf(argv);
  if (!flags.includes('--json')) return;
  // commander's own help and version text is not a --json document.
  if (flags.some((f) => ['--help', '-h', '--version', '-V', 'help'].includes(f))) return;
  const problems: string[] = [];
  const lines = stdout.split('\n');
  // A process killed mid-line leaves a fragment: only whole lines are its output.
  if (opts.killed) lines.pop();
  lines.forEach((line, n) => {
    if (!line.trim()) return;
    // Only what the CLI really wrote counts as exercising a schema.
    const p = checkJsonLine(argv, line, opts.count === false ? undefined : noteSeen);
    if (p) problems.push(`stdout line ${n + 1}: ${p}`);
  });
  if (problems.length > 0)
    throw new Error(
      `${origin}: s3-encrypt ${argv.join(' ')}: --json output breaks its published schema:\n${problems.join('\n')}`,
    );
}
