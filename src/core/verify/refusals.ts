import { ExitCode } from '../exit-codes.js';
import { RunStopError } from '../errors.js';

/** Objects refused in a row, with none proved, before a run gives up on the store. */
const REFUSALS_BEFORE_STOP = 25;

/**
 * "Every HEAD of the run refused" stops the run rather than tallying it: a store (or a proxy, or
 * an expired session) that answers nothing useful must not produce a table of `unverified`
 * objects that looks like a result. One proved object and the run goes on to the end.
 */
export class RefusalGuard {
  private proved = 0;
  private refused = 0;
  private lastReason = '';

  constructor(
    private readonly what: string,
    private readonly limit = REFUSALS_BEFORE_STOP,
  ) {}

  /** Record one object's outcome; throws once `limit` objects were refused and none proved. */
  record(proved: boolean, reason?: string): void {
    if (proved) {
      this.proved++;
      return;
    }
    this.refused++;
    if (reason) this.lastReason = reason;
    if (this.proved === 0 && this.refused >= this.limit) throw this.error();
  }

  /** At the end of a run: refused objects and not one proved is no result either. */
  finish(): void {
    if (this.proved === 0 && this.refused > 0) throw this.error();
  }

  private error(): RunStopError {
    return new RunStopError(
      'NothingVerified',
      `the store proved nothing about any of the first ${this.refused} objects of ${this.what} (last: ${this.lastReason || 'no reason given'})`,
      'check the endpoint, the credentials and s3:GetObject permission, then run again',
      ExitCode.SERVICE,
    );
  }
}
