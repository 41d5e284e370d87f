/** The exit-code contract, documented in the README. Decided once, at the end of a command. */
export const ExitCode = {
  /** Done, or every object checked is compliant. */
  OK: 0,
  /** Non-compliant objects were found, or some objects failed. */
  NOT_COMPLIANT: 1,
  /** Usage error or invalid input (bad flag, unknown bucket, unknown key). */
  USAGE: 2,
  /** A precondition refused the work (disabled key, missing permission, unsafe state). */
  PRECONDITION: 3,
  /** The service failed after retries (unreachable endpoint, 5xx). */
  SERVICE: 4,
  /** Interrupted by the user (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
