import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { hasControlCharacter, quoted, withoutUserinfo } from '../core/format.js';
import { isKeyRef, KEY_REF_HINT } from '../core/kms/key.js';

/** Global options after parsing: the only place that reads the environment (besides the SDK's own credential chain). */
export interface GlobalConfig {
  region: string;
  /** True when the user named the region (flag or env); otherwise the bucket's region may be adopted. */
  regionExplicit: boolean;
  profile?: string | undefined;
  /** Every --profile given, in order (audit reads several accounts; other commands use the last, `profile`). */
  profiles?: string[] | undefined;
  /** AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE when set (the SDK reads the same), for profile messages. */
  sharedFiles?: { config?: string | undefined; credentials?: string | undefined } | undefined;
  endpointUrl?: string | undefined;
  json: boolean;
  color: boolean;
  verbose: boolean;
  /**
   * Per-request waits from S3_ENCRYPT_CONNECT_TIMEOUT / S3_ENCRYPT_RESPONSE_TIMEOUT (seconds);
   * unset: the adapters' defaults (src/adapters/aws/transport/request-limits.ts).
   */
  timeouts?: { connectMs?: number | undefined; responseMs?: number | undefined } | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * `raw` is commander's optsWithGlobals(): the command's own options too, so the control character
 * check below covers every flag of every command before its handler runs.
 */
export function resolveGlobal(raw: Record<string, unknown>, env: Env): GlobalConfig {
  refuseControlCharacters(raw);
  for (const name of ENV_TEXT) {
    const v = env[name];
    if (v !== undefined && hasControlCharacter(v))
      throw new UsageError(
        `${name} ${quoted(v)} contains a control character`,
        `set ${name} again as one line of plain text`,
        'ControlCharacter',
      );
  }
  const region = str(raw.region) ?? str(env.AWS_REGION) ?? str(env.AWS_DEFAULT_REGION);
  if (region !== undefined && !REGION.test(region)) {
    throw new UsageError(
      `invalid region ${quoted(region)}`,
      'use a region code such as us-east-1 or eu-west-1',
      'InvalidRegion',
    );
  }
  const endpointUrl = str(raw.endpointUrl) ?? str(env.AWS_ENDPOINT_URL_S3) ?? str(env.AWS_ENDPOINT_URL);
  if (endpointUrl !== undefined) {
    const shown = quoted(withoutUserinfo(endpointUrl));
    if (!URL.canParse(endpointUrl) || !/^https?:$/.test(new URL(endpointUrl).protocol))
      throw new UsageError(
        `invalid --endpoint-url ${shown}`,
        'give a URL such as http://127.0.0.1:7480',
        'InvalidEndpoint',
      );
    // Every message naming the store shows this URL: a password in it would be printed and logged.
    const url = new URL(endpointUrl);
    if (url.username !== '' || url.password !== '')
      throw new UsageError(
        `invalid --endpoint-url ${shown}: it carries a user name or password`,
        'drop the user:password@ part (requests are signed with your AWS credentials), and change that password if it was a real one',
        'InvalidEndpoint',
      );
  }
  const connectMs = waitMs(env, 'S3_ENCRYPT_CONNECT_TIMEOUT');
  const responseMs = waitMs(env, 'S3_ENCRYPT_RESPONSE_TIMEOUT');
  return {
    region: region ?? 'us-east-1',
    regionExplicit: region !== undefined,
    profile: str(lastOf(raw.profile)) ?? str(env.AWS_PROFILE),
    profiles: Array.isArray(raw.profile)
      ? (raw.profile as unknown[]).filter((p): p is string => !!str(p))
      : str(raw.profile)
        ? [raw.profile as string]
        : undefined,
    sharedFiles: { config: str(env.AWS_CONFIG_FILE), credentials: str(env.AWS_SHARED_CREDENTIALS_FILE) },
    endpointUrl,
    json: raw.json === true,
    color: raw.color !== false && env.NO_COLOR === undefined,
    verbose: raw.verbose === true,
    ...(connectMs !== undefined || responseMs !== undefined ? { timeouts: { connectMs, responseMs } } : {}),
  };
}

/** The environment variables read as global options. */
const ENV_TEXT = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
] as const;

/**
 * Every flag value is one line of plain text. A control character (newline, tab, ESC, \x01...)
 * is a quoting or paste slip: passed on, a prefix or id with one reaches the store as is (S3 takes
 * it literally, or fails the request after earlier writes), and echoed, it acts on the terminal.
 * Refused for every option of every command, before anything is read or written. @internal
 */
export function refuseControlCharacters(raw: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof v === 'string' && hasControlCharacter(v))
        throw new UsageError(
          `${flagName(name)} ${quoted(v)} contains a control character`,
          'give the value as one line of plain text (no newline, tab or escape sequence)',
          'ControlCharacter',
        );
    }
  }
}

/** commander's camelCase option name -> the flag the user typed. */
function flagName(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A wait in seconds from the environment (decimals allowed), as milliseconds. */
function waitMs(env: Env, name: string): number | undefined {
  const raw = str(env[name]);
  if (raw === undefined) return undefined;
  const s = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(s >= 0.1 && s <= 3600))
    throw new UsageError(
      `invalid ${name} "${raw}"`,
      'give a number of seconds from 0.1 to 3600, e.g. 30, or unset it for the default',
      'InvalidTimeout',
    );
  return Math.round(s * 1000);
}

/** The last of a repeated option (commander collects repeats of --profile into a list). */
function lastOf(v: unknown): unknown {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Parse a command's options with its zod schema; any problem becomes one UsageError line naming the flag. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const flag = path ? flagName(path) : 'options';
  const value = path ? (raw as Record<string, unknown>)[path] : undefined;
  throw new UsageError(
    // Commander's values (strings, string lists, numbers, booleans) print as String() shows them.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    `invalid ${flag}${value !== undefined ? ` ${quoted(String(value))}` : ''}`,
    issue?.message ?? 'see --help',
    'InvalidOption',
  );
}

/** Plain decimal notation: what an operator means by a number on the command line. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A number typed on the command line, checked by `n`. Not z.coerce.number: it reads "" as 0,
 * takes "0x10", "1e3" and "Infinity" as numbers, and answers "abc" in zod's own words; here
 * anything but plain decimals fails `n`'s type check, whose message says what to type.
 */
export function typedNumber<T extends z.ZodType<number>>(n: T): z.ZodPreprocess<T, unknown> {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    return DECIMAL.test(t) ? Number(t) : Number.NaN;
  }, n);
}

/** Shared option schemas, so every command says the same thing about the same flag. */
export const schemas = {
  bucket: z
    .string({ error: 'required: name the bucket with --bucket NAME' })
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'a bucket name is 3-63 lowercase letters, digits, dots and hyphens (no s3:// prefix)',
    ),
  /** --concurrency: requests (or files, buckets) at once; `max` is the command's own bound. */
  concurrency: (max = 1024) =>
    typedNumber(
      z
        .number({ error: 'give a whole number, e.g. 16' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(max, `must be at most ${max}`),
    ),
  /**
   * A number of objects (--show, --show-offenders, --max-failures, --sample): whole, `min` (0 or
   * 1) or more, at most `max` when given; `example` goes in the message for a non-number.
   */
  objects: (min: 0 | 1, example: number, max?: number) => {
    const n = z
      .number({ error: `give a number of objects, e.g. ${example}` })
      .int('must be a whole number')
      .min(min, min === 0 ? 'must be 0 or more' : 'must be at least 1');
    return typedNumber(max === undefined ? n : n.max(max, `must be at most ${max}`));
  },
  /** --max-rate: objects started per second at most (a shared bucket's other users keep their share). */
  maxRate: typedNumber(
    z
      .number({ error: 'give objects per second, e.g. 500' })
      .positive('must be more than 0')
      .max(1_000_000, 'must be at most 1000000'),
  ).optional(),
  /**
   * --kms-key: its syntax is checked with the other options, before any request, so a typo is
   * reported as such even where the store cannot be reached (the key itself is checked later).
   */
  kmsKey: z.string().refine(isKeyRef, KEY_REF_HINT),
  prefix: z.string().optional(),
  /** --report FILE.html (verify, audit): a file; "-" would be written as a file named "-". */
  evidenceReport: (example: string) =>
    z
      .string()
      .min(1, `give a file path, e.g. --report ${example}`)
      .refine((p) => p !== '-', {
        message: `the report is an HTML file, not stdout (stdout carries the results): give a path, e.g. --report ${example}`,
      })
      .optional(),
};
