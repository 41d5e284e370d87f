// An uncompressed copy of a rendered inventory delivery, for stores whose S3 Select cannot inflate
// GZIP (Ceph RGW 16.2): the same rows, bytes and layout, with each data file gunzipped and named
// without `.gz` (data/<uuid>.csv), and manifest.json (files[].key, size, MD5checksum),
// manifest.checksum and hive/symlink.txt rewritten to describe them, as if S3 had written them so.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { RenderedDelivery } from './inventory-delivery.js';

const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');

export function uncompressedCopy(d: RenderedDelivery): RenderedDelivery {
  const renamed = new Map(d.dataKeys.map((k) => [k, k.replace(/\.gz$/, '')]));
  const objects = new Map<string, Buffer>();
  for (const [key, body] of d.objects) {
    const plainKey = renamed.get(key);
    if (plainKey !== undefined) objects.set(plainKey, gunzipSync(body));
    else objects.set(key, body);
  }
  const manifest = JSON.parse((d.objects.get(d.manifestKey) ?? Buffer.from('{}')).toString('utf8')) as {
    files: { key: string; size: number; MD5checksum: string }[];
  };
  manifest.files = manifest.files.map((f) => {
    const key = renamed.get(f.key) ?? f.key;
    const body = objects.get(key) ?? Buffer.alloc(0);
    return { key, size: body.length, MD5checksum: md5(body) };
  });
  const manifestText = JSON.stringify(manifest, null, 2);
  objects.set(d.manifestKey, Buffer.from(manifestText));
  objects.set(d.manifestKey.replace(/manifest\.json$/, 'manifest.checksum'), Buffer.from(md5(manifestText)));
  for (const [key, body] of objects) {
    if (!key.endsWith('/symlink.txt')) continue;
    let text = body.toString('utf8');
    for (const [gz, plain] of renamed) text = text.split(gz).join(plain);
    objects.set(key, Buffer.from(text));
  }
  return { ...d, objects, dataKeys: d.dataKeys.map((k) => renamed.get(k) ?? k) };
}
