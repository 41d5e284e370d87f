import { createHash } from 'node:crypto';

/**
 * SHA-256 of the JSON lines a run's `--json` output carries on stdout: each record exactly as
 * Output.record() writes it (JSON.stringify, then "\n"), UTF-8, in the order written, nothing
 * else. An auditor recomputes it with `sha256sum` over the saved stdout of the same run.
 */
export class RecordsDigest {
  private readonly hash = createHash('sha256');
  private count = 0;
  private size = 0;

  /** One line as written, its "\n" included. */
  add(line: string): void {
    this.hash.update(line, 'utf8');
    this.count++;
    this.size += Buffer.byteLength(line, 'utf8');
  }

  /** The digest so far (hex) and what it covers; the digest can be taken once. */
  finish(): { sha256: string; lines: number; bytes: number } {
    return { sha256: this.hash.digest('hex'), lines: this.count, bytes: this.size };
  }
}
