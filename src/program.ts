import { Command, CommanderError, Option } from 'commander';
import { resolveGlobal } from './config/global.js';
import { PreconditionError, S3EncryptError, UsageError } from './core/errors.js';
import { ExitCode } from './core/exit-codes.js';
import { fileProblem, isFileSystemError } from './core/file-errors.js';
import type { AppContext, Handler, Runner } from './commands/context.js';
import { enableSseCommand } from './commands/enable-sse.js';
import { verifyCommand } from './commands/verify.js';
import { setupInventoryCommand } from './commands/setup-inventory.js';
import { createJobCommand } from './commands/create-job.js';
import { buildManifestCommand } from './commands/build-manifest.js';
import { statusCommand } from './commands/status.js';
import { planCommand } from './commands/plan.js';
import { policyCommand } from './commands/policy.js';
import { encryptCommand } from './commands/encrypt.js';
import { auditCommand } from './commands/audit.js';
import { Output } from './output/output.js';
import { VERSION } from './version.js';

/** The subcommands, in the order an operator runs them. @internal */
export const COMMANDS: ((run: Runner) => Command)[] = [
  planCommand,
  policyCommand,
  enableSseCommand,
  setupInventoryCommand,
  buildManifestCommand,
  createJobCommand,
  statusCommand,
  encryptCommand,
  verifyCommand,
  auditCommand,
];

/** A repeated option's values in order: one value stays a string, repeats become a list. */
function collect(value: string, previous: string | string[] | undefined): string | string[] {
  return previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
}

/** Parse argv, run one command, render any error as one line; returns the exit code. Never exits the process. */
export async function run(argv: string[], app: AppContext): Promise<number> {
  const out = outputFor(argv, app);
  let exitCode: number = ExitCode.OK;
  let profile: string | undefined;
  const runner: Runner =
    (handler: Handler) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      // Every option of the command and the globals: resolveGlobal refuses control characters in any.
      const global = resolveGlobal(cmd.optsWithGlobals(), app.env);
      profile = global.profile;
      exitCode = await handler(cmd.opts(), { app, global, out });
    };
  const program = buildProgram(app, runner);
  if (argv.length === 0) {
    app.stderr.write(program.helpInformation());
    return ExitCode.USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return renderError(withProfile(err, profile), out, argv, program);
  }
}

/**
 * "No credentials" while a profile is named: the profile exists (a missing one is refused before
 * any call) but gave none, so the generic advice to set AWS_PROFILE would send the user in a
 * circle. Name the profile instead. (The adapters do not know which profile is in use.)
 */
function withProfile(err: unknown, profile: string | undefined): unknown {
  if (!profile || !(err instanceof S3EncryptError) || err.code !== 'NoCredentials') return err;
  return new PreconditionError(
    'NoCredentials',
    `the AWS profile "${profile}" (from --profile or AWS_PROFILE) gave no credentials`,
    `give it credentials (aws configure --profile ${profile}, or aws sso login --profile ${profile} for SSO), or drop --profile and unset AWS_PROFILE to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    { cause: err.cause ?? err },
  );
}

function buildProgram(app: AppContext, runner: Runner): Command {
  const program = new Command('s3-encrypt')
    .description(
      'Move an S3 bucket to SSE-KMS with your own KMS key and S3 Bucket Keys, and prove nothing unencrypted is left.',
    )
    .version(VERSION, '-V, --version')
    .option('--region <region>', 'AWS region (default: AWS_REGION, then the bucket region)')
    .option(
      '--profile <name>',
      'shared-config profile (default: AWS_PROFILE, then the default credential chain); audit takes several',
      collect,
    )
    .option('--endpoint-url <url>', 'S3-compatible endpoint, e.g. Ceph RGW or a local test server')
    .option('--json', 'machine output on stdout (JSON or JSON lines); human text goes to stderr')
    .addOption(new Option('--no-color', 'no ANSI colours (also: NO_COLOR)'))
    .option('--verbose', 'debug lines on stderr (never credentials)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => app.stdout.write(s),
      writeErr: (s) => app.stderr.write(s),
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      `
Workflow: plan -> policy -> enable-sse -> setup-inventory -> build-manifest -> create-job -> status -> verify
          or, for small buckets and S3-compatible stores: enable-sse -> encrypt -> verify
          across many buckets and accounts, to find where to start: audit

Exit codes: 0 ok/compliant, 1 not compliant or some objects failed, 2 usage, 3 precondition refused,
            4 service error after retries, 130 interrupted.`,
    );
  for (const make of COMMANDS) {
    const cmd = make(runner)
      .exitOverride()
      .configureOutput({
        writeOut: (s) => app.stdout.write(s),
        writeErr: (s) => app.stderr.write(s),
        outputError: () => undefined,
      });
    program.addCommand(cmd);
  }
  return program;
}

function outputFor(argv: string[], app: AppContext): Output {
  return new Output(app.stdout, app.stderr, outputOptions(argv, app.env));
}

/** The output flags, read from argv before commander parses it (errors of parsing need them too). */
export function outputOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): { json: boolean; color: boolean; verbose: boolean } {
  const flags = new Set(argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined));
  return {
    json: flags.has('--json'),
    color: !flags.has('--no-color') && env.NO_COLOR === undefined,
    verbose: flags.has('--verbose'),
  };
}

function renderError(err: unknown, out: Output, argv: string[], program: Command): number {
  if (err instanceof CommanderError) {
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    )
      return ExitCode.OK;
    const known = new Set(program.commands.map((c) => c.name()));
    const sub = argv.find((a) => known.has(a));
    const usage = new UsageError(
      err.message.replace(/^error:\s*/, '').replace(/\n[\s\S]*$/, ''),
      `run 's3-encrypt ${sub ? `${sub} ` : ''}--help' for usage`,
      'Usage',
    );
    return report(usage, out);
  }
  if (err instanceof S3EncryptError) return report(err, out);
  // A file system error no adapter mapped: the path came from the user (a flag or TMPDIR), so
  // it is theirs to fix; one line, exit 2, never "please report this".
  if (isFileSystemError(err))
    return report(
      new UsageError(
        `cannot ${err.syscall} ${err.path}: ${fileProblem(err.code)}`,
        'check the path given (its directories, permissions and free space); nothing more was done',
        'FileSystem',
        { cause: err },
      ),
      out,
    );
  const e = err instanceof Error ? err : new Error(String(err));
  const message = `unexpected ${e.name}: ${e.message.split('\n')[0]}`;
  const hint = 'please report this with the --verbose output';
  out.error(`${message}: ${hint}`);
  // --json readers get the error document whatever the error.
  out.record({ error: { code: 'Unexpected', message, hint, exitCode: ExitCode.SERVICE } });
  if (out.verbose && e.stack) out.debug(e.stack);
  return ExitCode.SERVICE;
}

function report(err: S3EncryptError, out: Output): number {
  out.error(err.oneLine());
  out.record({
    error: { code: err.code, message: err.message, hint: err.hint ?? null, exitCode: err.exitCode },
  });
  if (out.verbose && err.cause) {
    const c = err.cause as {
      name?: string;
      message?: string;
      $metadata?: { requestId?: string; httpStatusCode?: number };
    };
    out.debug(
      `cause: ${c.name ?? ''} ${c.message ?? ''} status=${c.$metadata?.httpStatusCode ?? '-'} requestId=${c.$metadata?.requestId ?? '-'}`,
    );
  }
  return err.exitCode;
}
