import { UsageError } from '../errors.js';

/** The flags that choose where verify reads the objects from. */
export interface VerifySourceFlags {
  live: boolean;
  inventory?: string | undefined;
  fromDir?: string | undefined;
  since?: string | undefined;
  maxRate?: number | undefined;
}

/** Which source the flags name: exactly one of --live and --inventory/--from-dir. */
export function verifySourceOf(flags: VerifySourceFlags): 'live' | 'inventory' {
  const fromInventory = flags.inventory !== undefined || flags.fromDir !== undefined;
  if (flags.live && fromInventory)
    throw new UsageError(
      '--live and --inventory/--from-dir are two different sources',
      'give only one: --live lists the bucket now, --inventory reads the newest inventory delivery',
      'ConflictingOptions',
    );
  if (!flags.live && !fromInventory) {
    throw new UsageError(
      'verify needs a source of objects',
      'pass --live to list and HEAD the bucket now, or --inventory s3://DEST/PREFIX --id ID to read the newest inventory delivery',
      'MissingSource',
    );
  }
  if (fromInventory && flags.maxRate !== undefined)
    throw new UsageError(
      '--max-rate applies to --live',
      'drop --max-rate: --inventory sends no request per object',
      'ConflictingOptions',
    );
  if (fromInventory) return 'inventory';
  if (flags.since !== undefined)
    throw new UsageError(
      '--since applies to --inventory',
      'drop --since: --live checks the bucket as it is now',
      'ConflictingOptions',
    );
  return 'live';
}
