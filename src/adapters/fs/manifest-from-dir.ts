import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PreconditionError, UsageError } from '../../core/errors.js';
import {
  DELIVERY_FOLDER,
  deliveryCandidates,
  noDeliveryError,
  type DeliveryDate,
} from '../../core/inventory/manifest.js';
import type { DeliveryReader, OpenedDelivery } from '../../core/inventory/ports.js';
import { scanGzipCsv } from '../stream/gzip-csv-scan.js';
import { prewarmInflater } from '../stream/inflate-off-thread.js';
import { announcesParquet, scanParquet } from '../stream/parquet-scan.js';
import { fileParquetSource } from './parquet-file-source.js';

/** Whether `path` is below `dir` (not `dir` itself, not beside or above it). */
function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * A delivery copied to disk (aws s3 cp --recursive). `dir` is either the delivery folder that
 * holds manifest.json, or the configuration folder with YYYY-MM-DDTHH-MMZ folders under it.
 * Needs no AWS at all.
 */
export function dirDeliveryReader(dir: string): DeliveryReader {
  const root = resolve(dir);
  return {
    where: root,
    async open(date: DeliveryDate): Promise<OpenedDelivery> {
      try {
        if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
      } catch {
        throw new UsageError(
          `--from-dir ${dir} is not a directory`,
          'point --from-dir at a downloaded delivery (the folder holding manifest.json)',
          'NoSuchDirectory',
        );
      }
      let deliveryDir = root;
      let folder: string | undefined = DELIVERY_FOLDER.test(basename(root)) ? basename(root) : undefined;
      if (!(await exists(join(root, 'manifest.json')))) {
        const subfolders = (await readdir(root, { withFileTypes: true }))
          .filter((d) => d.isDirectory())
          .map((d) => d.name);
        const incomplete: string[] = [];
        let picked: string | undefined;
        for (const f of deliveryCandidates(subfolders, date)) {
          if (
            (await exists(join(root, f, 'manifest.json'))) &&
            (await exists(join(root, f, 'manifest.checksum')))
          ) {
            picked = f;
            break;
          }
          incomplete.push(f);
        }
        if (!picked) {
          if (subfolders.some((f) => DELIVERY_FOLDER.test(f)) || date !== 'latest')
            throw noDeliveryError(root, date, incomplete, subfolders);
          throw new UsageError(
            `no manifest.json in ${root}`,
            'point --from-dir at a downloaded delivery (the folder holding manifest.json and manifest.checksum)',
            'NoManifest',
          );
        }
        deliveryDir = join(root, picked);
        folder = picked;
      } else if (
        date !== 'latest' &&
        folder !== undefined &&
        !(folder === date || folder.startsWith(`${date}T`))
      ) {
        throw noDeliveryError(root, date, []);
      }
      const manifestPath = join(deliveryDir, 'manifest.json');
      const manifestBytes = await readFile(manifestPath);
      // Start the gunzip worker now, so its start-up overlaps the checks before the first file.
      if (!announcesParquet(manifestBytes.toString('utf8'))) prewarmInflater();
      const checksumPath = join(deliveryDir, 'manifest.checksum');
      const checksumText = (await exists(checksumPath)) ? await readFile(checksumPath, 'utf8') : undefined;
      // Data files: by their S3 key under the root, under data/, or next to the manifest.
      const roots = deliveryDir === root ? [root] : [root, deliveryDir];
      const locate = async (key: string): Promise<string> => {
        const base = key.split('/').pop() ?? key;
        // Only files under the folder given: manifest.json is input like any other, and a key
        // such as ../../home/me/file would otherwise be read as this delivery's data.
        const tries = roots.flatMap((r) =>
          [join(r, key), join(r, 'data', base), join(r, base)].filter((p) => isWithin(r, p)),
        );
        if (tries.length === 0 || !isWithin(root, join(root, key)))
          throw new PreconditionError(
            'InventoryFileOutside',
            `data file ${JSON.stringify(key)} of ${join(deliveryDir, 'manifest.json')} leads outside ${root}`,
            "S3 Inventory keys stay under the destination prefix: the manifest is damaged or not S3's; download the delivery again",
          );
        for (const p of tries) if (await exists(p)) return p;
        throw new PreconditionError(
          'InventoryFileMissing',
          `data file ${key} is not in ${deliveryDir} (looked for ${tries.map((t) => t.slice(root.length + 1) || '.').join(', ')})`,
          'copy the whole delivery: aws s3 cp --recursive s3://DEST/PREFIX/BUCKET/ID/ DIR (data/ included)',
        );
      };
      return {
        manifestLocation: manifestPath,
        folder,
        manifestText: manifestBytes.toString('utf8'),
        manifestMd5: createHash('md5').update(manifestBytes).digest('hex'),
        checksumText,
        engine: 'local',
        async scan(file, layout, visitor, signal) {
          const path = await locate(file.key);
          if (layout.format === 'Parquet') {
            await scanParquet(fileParquetSource(path), { file, layout, visitor, signal });
            return;
          }
          await scanGzipCsv({ localPath: path }, { file, layout, visitor, signal });
        },
      };
    },
  };
}
