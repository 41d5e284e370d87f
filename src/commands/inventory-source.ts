import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { INVENTORY_ID } from '../core/inventory/location.js';
import { isDeliveryDate } from '../core/inventory/manifest.js';

/**
 * The flags that name an inventory delivery (--inventory s3://DEST/PREFIX --id ID --date, or
 * --from-dir DIR): their zod fields and the one check of how they combine, shared by
 * build-manifest, verify --inventory, create-job --inventory and plan.
 */
export const inventorySourceSchemas = {
  inventory: z.string().optional(),
  id: z
    .string()
    .regex(INVENTORY_ID, 'an inventory configuration id is 1-64 letters, digits, ".", "-" or "_"')
    .optional(),
  date: z
    .string()
    .refine(isDeliveryDate, 'use latest, a day (YYYY-MM-DD) or a delivery folder (YYYY-MM-DDTHH-MMZ)')
    .default('latest'),
  fromDir: z.string().min(1).optional(),
};

/** Which delivery an inventory-reading command was pointed at. */
export function checkInventorySource(opts: {
  inventory?: string | undefined;
  id?: string | undefined;
  fromDir?: string | undefined;
}): void {
  if (opts.inventory !== undefined && opts.fromDir !== undefined)
    throw new UsageError(
      '--inventory and --from-dir both name a delivery',
      'give only one',
      'ConflictingOptions',
    );
  if (opts.inventory === undefined && opts.fromDir === undefined)
    throw new UsageError(
      'no inventory delivery named',
      'pass --inventory s3://DEST/PREFIX --id ID (as in setup-inventory), or --from-dir DIR',
      'MissingSource',
    );
  if (opts.inventory !== undefined && opts.id === undefined)
    throw new UsageError(
      '--inventory needs --id',
      'pass the inventory configuration id (--id ID, as in setup-inventory)',
      'MissingOption',
    );
}
