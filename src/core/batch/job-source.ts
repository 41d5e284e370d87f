import { UsageError } from '../errors.js';
import { parseManifestArg } from './batch-manifests.js';

/** create-job's flags that say which objects the jobs take and how. */
export interface JobSourceFlags {
  summary?: string | undefined;
  manifest?: string | undefined;
  generateManifest: boolean;
  /** With `id` (and `date`): build the manifests of an inventory delivery, then create the jobs. */
  inventory?: string | undefined;
  id?: string | undefined;
  date?: string | undefined;
  group?: string | undefined;
  storageClass?: string | undefined;
  prefix?: string | undefined;
  allowVersioned: boolean;
}

export type JobSource = 'summary' | 'manifest' | 'generate' | 'inventory';

/** Exactly one list of objects, and no flag that cannot apply to it; refused before any call. */
export function checkJobSource(opts: JobSourceFlags): JobSource {
  const given: [JobSource, boolean][] = [
    ['summary', opts.summary !== undefined],
    ['manifest', opts.manifest !== undefined],
    ['generate', opts.generateManifest],
    ['inventory', opts.inventory !== undefined],
  ];
  const sources = given.filter(([, on]) => on).map(([s]) => s);
  const conflict = (message: string, hint: string, code = 'ConflictingOptions'): never => {
    throw new UsageError(message, hint, code);
  };
  if (sources.length !== 1)
    conflict(
      sources.length === 0 ? 'create-job needs a list of objects' : 'give only one list of objects',
      'pass exactly one of --summary FILE, --manifest s3://BUCKET/KEY,ETAG, --generate-manifest or --inventory s3://DEST/PREFIX --id ID [--date latest|YYYY-MM-DD]',
      'MissingSource',
    );
  const source = sources[0] as JobSource;
  if (source !== 'inventory' && (opts.date !== undefined || opts.id !== undefined))
    conflict(
      `${opts.date !== undefined ? '--date' : '--id'} only applies with --inventory`,
      'it picks an inventory delivery: add --inventory s3://DEST/PREFIX --id ID, or drop it',
    );
  if (source === 'inventory' && opts.id === undefined)
    conflict(
      '--inventory needs --id',
      'pass the inventory configuration id (--id ID, as in setup-inventory)',
      'MissingOption',
    );
  if ((source === 'summary' || source === 'inventory') && (opts.group || opts.storageClass))
    conflict(
      `--group and --storage-class come from the ${source === 'summary' ? 'summary' : 'manifests built from the delivery'}`,
      'drop them, or use --manifest for one manifest',
    );
  if (source !== 'generate' && opts.prefix !== undefined)
    conflict(
      '--prefix only applies with --generate-manifest',
      'a manifest already lists its objects: drop --prefix',
    );
  if (source !== 'generate' && opts.allowVersioned)
    conflict('--allow-versioned only applies with --generate-manifest', 'drop --allow-versioned');
  if (source === 'manifest') parseManifestArg(opts.manifest as string);
  if (opts.group === 'update-encryption' && opts.storageClass)
    conflict(
      '--storage-class does not apply to update-encryption jobs',
      'UpdateObjectEncryption keeps every object in its class: drop --storage-class',
    );
  const copies =
    source === 'generate'
      ? opts.group !== 'update-encryption'
      : source === 'manifest' && (opts.group ?? 'copy') === 'copy';
  if (copies && !opts.storageClass)
    conflict(
      'a copy job needs --storage-class',
      source === 'generate'
        ? 'the generated list cannot be split by class and one copy job writes one class: run once per class (--storage-class STANDARD, then STANDARD_IA, ...), or pass --group update-encryption'
        : 'give the class every object in the manifest has: a copy without one writes STANDARD',
      'MissingStorageClass',
    );
  return source;
}
