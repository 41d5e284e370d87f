/**
 * Where an encrypt run's objects come from: a live listing of the bucket (or of --prefix), one
 * Batch CSV manifest, or build-manifest's summary.json and the manifests it lists.
 */
import { formatCount } from '../format.js';
import type { ObjectReader } from '../ports.js';
import { isS3Uri } from '../s3-uri.js';
import type { ManifestReader } from './ports.js';
import { checkManifest, refsFromManifest, manifestSummaryPlan, type ManifestCheck } from './sources.js';
import type { ObjectRef } from './types.js';

export interface EncryptSource {
  refs: AsyncIterable<ObjectRef>;
  total?: number | undefined;
  label: string;
  /** What the state file hash covers. */
  identity: string;
  /** A live listing: the same listing again, walked ahead of the workers to count it. */
  listAhead?: (() => AsyncIterable<{ isDeleteMarker?: boolean | undefined }>) | undefined;
}

/** The platform's file names (node:path in the command): core stays pure. */
export interface FileNames {
  join(...parts: string[]): string;
  dirname(path: string): string;
  basename(path: string): string;
}

/** What the objects are chosen by: --manifest, else --prefix (or the whole bucket). */
export interface SourceChoice {
  bucket: string;
  manifest?: string | undefined;
  prefix?: string | undefined;
}

/** Manifests already read through (by checkLocalManifests), by location: not read twice. */
export type CheckedManifests = Map<string, ManifestCheck>;

const isManifestSummary = (location: string): boolean => /\.json$/i.test(location);

/**
 * A local --manifest (and the local manifests a local summary.json lists) read through before
 * the first request: bytes that are not UTF-8, bad rows and rows of another bucket are refused
 * with nothing sent. The counts are kept for openSource().
 */
export async function checkLocalManifests(
  reader: ManifestReader,
  names: FileNames,
  location: string,
  bucket: string,
  checked: CheckedManifests,
): Promise<void> {
  const locations = isManifestSummary(location)
    ? manifestSummaryPlan(await reader.text(location), location, bucket)
        .manifests.map((m) => manifestLocation(m.location, location, reader, names))
        .filter((at) => !isS3Uri(at))
    : [location];
  for (const at of locations) checked.set(at, await checkManifest(reader, at, bucket));
}

/** Opens the source; `warn` hears of a summary built for another key and of groups it skips. */
export async function openSource(
  choice: SourceChoice,
  ports: { manifests: ManifestReader; objects: ObjectReader; names: FileNames },
  keyId: string,
  checked: CheckedManifests,
  warn: (text: string) => void,
): Promise<EncryptSource> {
  const { bucket, manifest: location, prefix } = choice;
  const reader = ports.manifests;
  const check = async (at: string): Promise<ManifestCheck> =>
    checked.get(at) ?? (await checkManifest(reader, at, bucket));
  if (location === undefined) {
    const objects = ports.objects;
    return {
      refs: (async function* () {
        for await (const o of objects.list(bucket, { prefix, allVersions: false }))
          if (!o.isDeleteMarker) yield { key: o.key };
      })(),
      label: `a live listing${prefix ? ` of ${prefix}` : ''}`,
      identity: `live:${prefix ?? ''}`,
      listAhead: () => objects.list(bucket, { prefix, allVersions: false }),
    };
  }
  if (isManifestSummary(location)) {
    const plan = manifestSummaryPlan(await reader.text(location), location, bucket);
    if (plan.kmsKey !== keyId)
      warn(
        `${location} was built for key ${plan.kmsKey}; encrypting under ${keyId} (each object is checked against ${keyId})`,
      );
    const files: string[] = [];
    let total = 0;
    for (const m of plan.manifests) {
      const at = manifestLocation(m.location, location, reader, ports.names);
      total += (await check(at)).rows;
      files.push(at);
    }
    for (const m of plan.skipped)
      warn(
        `${m.name}: ${formatCount(m.objects)} objects not processed (${m.group}: restore them first, then list them in a manifest)`,
      );
    return {
      refs: (async function* () {
        for (const f of files) yield* refsFromManifest(reader, f);
      })(),
      total,
      label: `${location} (${plan.manifests.map((m) => m.name).join(', ') || 'no manifests'})`,
      identity: `summary:${location}`,
    };
  }
  return {
    refs: refsFromManifest(reader, location),
    total: (await check(location)).rows,
    label: location,
    identity: `manifest:${location}`,
  };
}

/** A local manifest path in a summary: as written, or next to the summary when moved with it. */
function manifestLocation(
  entry: string,
  summaryLocation: string,
  reader: ManifestReader,
  names: FileNames,
): string {
  if (/^s3:\/\//i.test(entry) || reader.exists(entry)) return entry;
  const beside = names.join(names.dirname(summaryLocation), names.basename(entry));
  return reader.exists(beside) ? beside : entry;
}

/** The default --state: one file per bucket, key and source, under the current directory. */
export function defaultStatePath(
  host: FileNames & { cwd: string; sha256Hex(text: string): string },
  bucket: string,
  keyId: string,
  identity: string,
): string {
  const hash = host.sha256Hex(JSON.stringify([bucket, keyId, identity])).slice(0, 12);
  return host.join(host.cwd, '.s3-encrypt-state', `${bucket}-${hash}.jsonl`);
}
