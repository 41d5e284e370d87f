import { UsageError } from '../errors.js';
import { decodeManifestKey } from '../inventory/keys.js';
import { parseManifestSummary, type ManifestEntry } from '../inventory/manifest-summary.js';
import type { ManifestReader, ManifestRow } from './ports.js';
import type { ObjectRef } from './types.js';

/**
 * One Batch Operations CSV row (`bucket,urlencodedKey[,versionId]`, no header) after CSV
 * parsing. `where` names the file and line in errors.
 */
export function rowFromFields(fields: string[], line: number, where: string): ManifestRow {
  if (fields.length < 2 || fields.length > 3 || !fields[0] || !fields[1]) {
    throw new UsageError(
      `${where} line ${line} is not a Batch manifest row (bucket,key[,versionId])`,
      'give a CSV with no header: bucket,url-encoded key[,version id] (build-manifest writes them)',
      'BadManifest',
    );
  }
  let key: string;
  try {
    key = decodeManifestKey(fields[1]);
  } catch {
    throw new UsageError(
      `${where} line ${line}: the key "${fields[1]}" is not valid URL encoding`,
      'keys in a Batch manifest are URL-encoded (a literal % is %25)',
      'BadManifest',
    );
  }
  const versionId = fields[2] === undefined || fields[2] === '' ? undefined : fields[2];
  return { bucket: fields[0], key, versionId, line };
}

export interface ManifestCheck {
  rows: number;
  versioned: boolean;
}

/**
 * Read a manifest once, before anything is written, so a bad row on line 900,000 cannot stop a
 * run half way: every row must name `bucket`, and version ids are all present or all absent
 * (the Batch Operations rule). Constant memory.
 */
export async function checkManifest(
  reader: ManifestReader,
  location: string,
  bucket: string,
): Promise<ManifestCheck> {
  let rows = 0;
  let versioned: boolean | undefined;
  for await (const row of reader.rows(location)) {
    if (row.bucket !== bucket)
      throw new UsageError(
        `${location} line ${row.line} names bucket ${row.bucket}, not ${bucket}`,
        `run encrypt with --bucket ${row.bucket}, or give the manifest built for ${bucket}`,
        'ManifestBucketMismatch',
      );
    const hasVersion = row.versionId !== undefined;
    if (versioned === undefined) versioned = hasVersion;
    else if (versioned !== hasVersion)
      throw new UsageError(
        `${location} line ${row.line} ${hasVersion ? 'has' : 'lacks'} a version id unlike line 1`,
        'a manifest gives version ids for every row or for none',
        'BadManifest',
      );
    rows++;
  }
  return { rows, versioned: versioned ?? false };
}

export async function* refsFromManifest(reader: ManifestReader, location: string): AsyncGenerator<ObjectRef> {
  for await (const row of reader.rows(location)) yield { key: row.key, versionId: row.versionId };
}

export interface ManifestSummaryPlan {
  /** Manifests encrypt works through: copy-*, update-encryption, large. */
  manifests: ManifestEntry[];
  /** Listed in the summary but not processed (archived objects need a restore first). */
  skipped: ManifestEntry[];
  kmsKey: string;
}

/** Parse and check build-manifest's summary.json. */
export function manifestSummaryPlan(text: string, location: string, bucket: string): ManifestSummaryPlan {
  const s = parseManifestSummary(text, location, bucket);
  const wanted = new Set(['copy', 'update-encryption', 'large']);
  return {
    manifests: s.manifests.filter((m) => wanted.has(m.group)),
    skipped: s.manifests.filter((m) => !wanted.has(m.group)),
    kmsKey: s.kmsKey,
  };
}
