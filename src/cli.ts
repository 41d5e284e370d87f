import { format } from 'node:util';
import { awsServices, localServices } from './deps.js';
import { ExitCode } from './core/exit-codes.js';
import { run } from './program.js';
import { Output } from './output/output.js';

/**
 * The process edge: the only file that reads process.argv, installs signal handlers and sets the
 * exit code. The first Ctrl-C asks commands to drain and summarise; a second one exits at once.
 */
export async function main(): Promise<void> {
  // The SDK's Node 20 end-of-support notice is for this tool's maintainers, not its operators.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  quietStrayWarnings(process.argv.slice(2));
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\ninterrupt: finishing requests in flight (Ctrl-C again to stop at once)\n');
      controller.abort();
    } else {
      process.exit(ExitCode.INTERRUPTED);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // A closed pipe (| head) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const code = await run(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    // A profile named with --profile must hold for everything the SDK reads from it. Its clients
    // take the `profile` option for credentials and region, but a profile's endpoint_url and
    // `services` section only from AWS_PROFILE (@smithy/core/endpoints reads the configured
    // endpoint without the client's profile): without this the requests would go to AWS itself.
    services: (config) => {
      if (config.profile !== undefined) process.env.AWS_PROFILE = config.profile;
      return awsServices(config);
    },
    local: localServices,
    cwd: process.cwd(),
  });
  process.exitCode = code === ExitCode.OK && controller.signal.aborted ? ExitCode.INTERRUPTED : code;
}

/**
 * The AWS SDK writes its warnings itself: console.warn (e.g. nine lines of "Multiple credential
 * sources detected" when AWS_PROFILE and AWS_ACCESS_KEY_ID are both set) and
 * process.emitWarning. None is for the operator as it stands: each goes through the output
 * writer as one escaped debug line with --verbose, and is dropped otherwise. Our own code never
 * calls console.*; it writes through Output.
 */
function quietStrayWarnings(argv: string[]): void {
  const flags = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined);
  const out = new Output(process.stdout, process.stderr, {
    json: flags.includes('--json'),
    color: false,
    verbose: flags.includes('--verbose'),
  });
  const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
  console.warn = (...args: unknown[]): void => out.debug(`sdk warning: ${oneLine(format(...args))}`);
  process.removeAllListeners('warning');
  process.on('warning', (w: Error) => out.debug(`runtime warning: ${oneLine(`${w.name}: ${w.message}`)}`));
}
