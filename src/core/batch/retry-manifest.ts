import { encodeManifestKey } from '../inventory/keys.js';
import type { TaskResult } from './completion-report.js';

/**
 * Report rows echo the manifest's key, which may be URL-encoded or raw. Decoding first and
 * encoding again gives the manifest form either way (build-manifest's encoding); a raw key that
 * does not decode (a stray `%`) is encoded as it is. @internal
 */
export function manifestKeyFromReport(key: string): string {
  return encodeManifestKey(decodeIfEncoded(key));
}

/** Version ids get the same round trip, encoded as build-manifest writes them. @internal */
export function manifestVersionFromReport(versionId: string): string {
  return encodeURIComponent(decodeIfEncoded(versionId));
}

function decodeIfEncoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// Proof that the object is gone is the store's error code; a bare 404 (or the SDK's NotFound for
// one) proves nothing, so such a task is retried.
const GONE_CODES = new Set(['NoSuchKey', 'NoSuchVersion']);

export interface RetryManifest {
  /** CSV text: no header, one `bucket,key[,versionId]` row per task to retry. */
  csv: string;
  rows: number;
  versioned: boolean;
  /** Failed tasks whose object no longer exists (404): retrying them cannot succeed. */
  gone: number;
  /** Some rows had version ids and others not; Batch needs all or none, so none were kept. */
  droppedVersionIds: boolean;
}

/** Collects failed tasks into a manifest for a retry job (same encoding rules as build-manifest). */
export class RetryManifestBuilder {
  private readonly rows: { bucket: string; key: string; versionId?: string | undefined }[] = [];
  private gone = 0;

  add(r: TaskResult): void {
    if (r.status !== 'failed') return;
    if (r.errorCode !== undefined && GONE_CODES.has(r.errorCode)) {
      this.gone++;
      return;
    }
    this.rows.push({
      bucket: r.bucket,
      key: manifestKeyFromReport(r.key),
      versionId: r.versionId === undefined ? undefined : manifestVersionFromReport(r.versionId),
    });
  }

  build(): RetryManifest {
    const withVersion = this.rows.filter((r) => r.versionId).length;
    const versioned = withVersion > 0 && withVersion === this.rows.length;
    const lines = this.rows.map((r) =>
      versioned ? `${r.bucket},${r.key},${r.versionId ?? ''}` : `${r.bucket},${r.key}`,
    );
    return {
      csv: lines.length ? `${lines.join('\n')}\n` : '',
      rows: lines.length,
      versioned,
      gone: this.gone,
      droppedVersionIds: withVersion > 0 && !versioned,
    };
  }
}
