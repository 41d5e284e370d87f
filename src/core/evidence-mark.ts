/**
 * The first bytes of every evidence report (`--report FILE.html`). A file that exists may be
 * replaced only when it starts with them, or is empty: a typo in --report must not overwrite a
 * manifest, a state file or anything else that is not a report of this tool.
 */
export const EVIDENCE_REPORT_HEAD = '<!DOCTYPE html>\n<!-- s3-encrypt evidence report -->\n';

/** Whether a file starting with `head` (its first bytes, as text) may be replaced by a report. */
export function isReplaceableReport(head: string): boolean {
  return head.length === 0 || head.startsWith(EVIDENCE_REPORT_HEAD);
}
