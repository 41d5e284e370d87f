import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { PreconditionError, UsageError } from '../../../core/errors.js';
import { configPrefix } from '../../../core/inventory/location.js';
import {
  deliveryCandidates,
  noDeliveryError,
  strippedInventory,
  type DeliveryDate,
  type DeliveryNeighbours,
} from '../../../core/inventory/manifest.js';
import type {
  DeliveryReader,
  InventoryLocation,
  OpenedDelivery,
  PrefixClock,
} from '../../../core/inventory/ports.js';
import { scanGzipCsv } from '../../stream/gzip-csv-scan.js';
import { prewarmInflater } from '../../stream/inflate-off-thread.js';
import { announcesParquet, scanParquet } from '../../stream/parquet-scan.js';
import type { AwsClients } from '../transport/clients.js';
import { call, errorName, httpStatus, mapAwsError } from '../transport/errors.js';
import { s3ParquetSource } from './inventory-parquet-source.js';
import { selectScan } from './inventory-select.js';
import { sdk } from '../transport/sdk.js';

/**
 * Deliveries of one inventory configuration in its destination bucket. No API returns "the latest
 * inventory": list the configuration prefix with Delimiter '/', newest timestamp folder first,
 * and take the first that has both manifest.json and manifest.checksum.
 */
export function s3DeliveryReader(
  aws: AwsClients,
  loc: InventoryLocation,
  engine: 'local' | 'select',
): DeliveryReader {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint, bucket: loc.bucket };
  const root = `${configPrefix(loc)}/`;
  const where = `s3://${loc.bucket}/${root}`;

  const listFolders = async (under = root): Promise<string[]> => {
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await call({ ...base, action: 's3:ListBucket' }, () =>
        aws.s3.send(
          new sdk.s3.ListObjectsV2Command({
            Bucket: loc.bucket,
            Prefix: under,
            Delimiter: '/',
            ContinuationToken: token,
          }),
        ),
      );
      for (const p of page.CommonPrefixes ?? []) {
        const name = p.Prefix?.slice(under.length).replace(/\/$/, '');
        if (name) folders.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return folders;
  };

  const isComplete = async (folder: string): Promise<boolean> => {
    const page = await call({ ...base, action: 's3:ListBucket' }, () =>
      aws.s3.send(
        new sdk.s3.ListObjectsV2Command({ Bucket: loc.bucket, Prefix: `${root}${folder}/manifest.` }),
      ),
    );
    const keys = new Set((page.Contents ?? []).map((o) => o.Key));
    return keys.has(`${root}${folder}/manifest.json`) && keys.has(`${root}${folder}/manifest.checksum`);
  };

  const getBytes = async (key: string): Promise<Buffer> =>
    call({ ...base, action: 's3:GetObject', key }, async () => {
      const out = await aws.s3.send(new sdk.s3.GetObjectCommand({ Bucket: loc.bucket, Key: key }));
      return Buffer.from(
        await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
    });

  return {
    where,
    async open(date: DeliveryDate): Promise<OpenedDelivery> {
      const folders = await listFolders();
      const incomplete: string[] = [];
      let folder: string | undefined;
      for (const f of deliveryCandidates(folders, date)) {
        if (await isComplete(f)) {
          folder = f;
          break;
        }
        incomplete.push(f);
      }
      if (!folder) {
        // Nothing at all there: the configurations next to it tell a wrong --id from a wait.
        let around: DeliveryNeighbours | undefined;
        if (folders.length === 0) {
          const stripped = strippedInventory(loc);
          const there = stripped ? await listFolders(`${configPrefix(stripped)}/`) : [];
          around = {
            location: loc,
            ids: await listFolders(root.slice(0, root.length - loc.id.length - 1)),
            stripped: deliveryCandidates(there, 'latest').length > 0 ? stripped : undefined,
          };
        }
        throw noDeliveryError(where, date, incomplete, folders, around);
      }
      const manifestKey = `${root}${folder}/manifest.json`;
      const manifestBytes = await getBytes(manifestKey);
      // Start the gunzip worker now, so its start-up overlaps the checks before the first file.
      if (!announcesParquet(manifestBytes.toString('utf8'))) prewarmInflater();
      const checksumText = (await getBytes(`${root}${folder}/manifest.checksum`)).toString('utf8');
      return {
        manifestLocation: `s3://${loc.bucket}/${manifestKey}`,
        folder,
        manifestText: manifestBytes.toString('utf8'),
        manifestMd5: createHash('md5').update(manifestBytes).digest('hex'),
        checksumText,
        engine,
        async scan(file, layout, visitor, signal) {
          if (layout.format === 'Parquet') {
            if (engine === 'select') {
              throw new UsageError(
                `--engine select reads CSV deliveries only, and ${manifestKey} is a Parquet one`,
                'drop --engine select: the default local engine reads Parquet',
                'SelectNeedsCsv',
              );
            }
            try {
              await scanParquet(s3ParquetSource(aws, loc.bucket, file.key), {
                file,
                layout,
                visitor,
                signal,
              });
            } catch (err) {
              throw mapAwsError(err, { ...base, action: 's3:GetObject', key: file.key });
            }
            return;
          }
          if (engine === 'select') {
            await selectScan(aws, { bucket: loc.bucket, key: file.key }, layout, visitor, signal, file.size);
            return;
          }
          let body: Readable;
          try {
            const out = await aws.s3.send(
              new sdk.s3.GetObjectCommand({ Bucket: loc.bucket, Key: file.key }),
              {
                abortSignal: signal,
              },
            );
            body = out.Body as Readable;
          } catch (err) {
            if (httpStatus(err) === 404 || errorName(err) === 'NoSuchKey') {
              throw new PreconditionError(
                'InventoryFileMissing',
                `data file s3://${loc.bucket}/${file.key} named by manifest.json does not exist`,
                'the delivery is incomplete or was cleaned up: wait for the next one, or pass --date to pick another',
                { cause: err },
              );
            }
            throw mapAwsError(err, { ...base, action: 's3:GetObject', key: file.key });
          }
          try {
            await scanGzipCsv(body, { file, layout, visitor, signal });
          } catch (err) {
            throw mapAwsError(err, { ...base, action: 's3:GetObject', key: file.key });
          }
        },
      };
    },
  };
}

/** Newest LastModified under a prefix, from at most a few listing pages (it is only a hint). */
export function prefixClock(aws: AwsClients): PrefixClock {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  return {
    async newestUnder(bucket, prefix) {
      let newest: Date | undefined;
      let token: string | undefined;
      for (let page = 0; page < 5; page++) {
        const out = await call({ ...base, action: 's3:ListBucket', bucket }, () =>
          aws.s3.send(
            new sdk.s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          ),
        );
        for (const o of out.Contents ?? [])
          if (o.LastModified && (!newest || o.LastModified > newest)) newest = o.LastModified;
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
        if (token === undefined) break;
      }
      return newest;
    },
  };
}
