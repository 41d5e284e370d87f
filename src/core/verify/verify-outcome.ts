import { ExitCode } from '../exit-codes.js';
import { formatCount } from '../format.js';
import { isProvenCompliant, type VerifySummary } from './tally.js';

/** verify's one headline, in words and a tone: the terminal colours it, the evidence report quotes it. */
export interface VerifyOutcome {
  /** COMPLIANT, NOT COMPLIANT, UNVERIFIED, NOTHING EXAMINED, NOTHING VERIFIED, INTERRUPTED. */
  verdict: string;
  /** The whole line, without colour. */
  text: string;
  tone: 'green' | 'red' | 'yellow' | 'plain';
}

/** The headline names what was proved, never more. */
export function verifyOutcome(
  s: VerifySummary,
  interrupted: boolean,
  allowEmpty: boolean,
  /** outOfDate: why the delivery is too old to prove anything but work needed (verify --inventory). */
  words: { compliant: string; empty: string; outOfDate?: string | undefined },
): VerifyOutcome {
  const seen = s.compliant + s.offenders;
  const gone = s.vanished > 0 ? ` (${formatCount(s.vanished)} more listed, then proved deleted)` : '';
  if (interrupted)
    return {
      verdict: 'INTERRUPTED',
      text: `INTERRUPTED after ${formatCount(s.checked)} objects`,
      tone: 'yellow',
    };
  if (s.checked === 0)
    return allowEmpty
      ? {
          verdict: 'NOTHING EXAMINED',
          text: `NOTHING EXAMINED: ${words.empty} (--allow-empty)`,
          tone: 'plain',
        }
      : {
          verdict: 'NOTHING EXAMINED',
          text: `NOTHING EXAMINED: ${words.empty}; check --bucket / --prefix, or pass --allow-empty if that is expected`,
          tone: 'red',
        };
  if (s.offenders > 0)
    return {
      verdict: 'NOT COMPLIANT',
      text: `NOT COMPLIANT: ${formatCount(s.offenders)} of ${formatCount(s.checked)} objects need work${s.unverified > 0 ? `, ${formatCount(s.unverified)} could not be verified` : ''}`,
      tone: 'red',
    };
  if (words.outOfDate !== undefined)
    return { verdict: 'OUT OF DATE', text: `OUT OF DATE: ${words.outOfDate}`, tone: 'red' };
  if (s.unverified > 0)
    return {
      verdict: 'UNVERIFIED',
      text: `UNVERIFIED: ${formatCount(s.unverified)} of ${formatCount(s.checked)} objects could not be verified (reasons above); ${formatCount(s.compliant)} were seen compliant`,
      tone: 'red',
    };
  if (seen === 0)
    return {
      verdict: 'NOTHING VERIFIED',
      text: `NOTHING VERIFIED: all ${formatCount(s.vanished)} listed objects were deleted before they could be checked`,
      tone: 'red',
    };
  return {
    verdict: 'COMPLIANT',
    text: `COMPLIANT: all ${formatCount(seen)} ${words.compliant}${gone}`,
    tone: 'green',
  };
}

/**
 * The exit-0 rule, the same for --live and --inventory (README: "What exit 0 means"). A delivery
 * out of date proves nothing but work needed: it turns a pass into exit 1.
 */
export function verifyExitCode(
  s: VerifySummary,
  interrupted: boolean,
  allowEmpty: boolean,
  outOfDate?: string,
): number {
  if (interrupted) return ExitCode.INTERRUPTED;
  if (!isProvenCompliant(s, { allowEmpty })) return ExitCode.NOT_COMPLIANT;
  return outOfDate !== undefined ? ExitCode.NOT_COMPLIANT : ExitCode.OK;
}
