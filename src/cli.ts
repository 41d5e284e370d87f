import { setMaxListeners } from 'node:events';
import { format } from 'node:util';
import { awsServicesFor, offlineServices } from './deps.js';
import { ExitCode } from './core/exit-codes.js';
import { outputOptions, run } from './program.js';
import { Output } from './output/output.js';

/** After the first Ctrl-C / SIGTERM, the longest the process may take to end. */
const STOP_WITHIN_MS = 4_000;

/**
 * The process edge: the only file that reads process.argv, installs signal handlers and sets the
 * exit code. The first Ctrl-C (or SIGTERM) aborts every request in flight (the AWS clients listen
 * to the same signal): commands stop, record what finished, print their summary and exit 130.
 * Should anything still hold the process after STOP_WITHIN_MS, or on a second Ctrl-C, it exits
 * at once (every finished object is already in the state file: each line is written as it ends).
 */
export async function main(): Promise<void> {
  quietStrayWarnings(process.argv.slice(2));
  const controller = new AbortController();
  // Every request in flight listens to this one signal: hundreds of listeners are expected.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(
        '\ninterrupt: stopping: requests in flight are aborted (Ctrl-C again to exit at once)\n',
      );
      controller.abort();
      setTimeout(() => {
        process.stderr.write(
          `interrupt: still busy ${STOP_WITHIN_MS / 1000} s after the interrupt: exiting now\n`,
        );
        process.exit(ExitCode.INTERRUPTED);
      }, STOP_WITHIN_MS).unref();
    } else {
      process.exit(ExitCode.INTERRUPTED);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed pipe (| head) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const withSignal = awsServicesFor(controller.signal);
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
      return withSignal(config);
    },
    offline: offlineServices,
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
  const out = new Output(process.stdout, process.stderr, {
    ...outputOptions(argv, process.env),
    color: false,
  });
  const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
  console.warn = (...args: unknown[]): void => out.debug(`sdk warning: ${oneLine(format(...args))}`);
  process.removeAllListeners('warning');
  process.on('warning', (w: Error) => out.debug(`runtime warning: ${oneLine(`${w.name}: ${w.message}`)}`));
}
