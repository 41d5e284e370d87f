import type { ListedObject } from '../../../core/objects.js';
import { bodyText, elementText } from '../transport/lean-response.js';
import type { LeanSend } from '../transport/lean-send.js';

/** One ListObjectsV2 page, or `undefined`: the caller lists that page through the SDK command. */
export type LeanListPage = (
  bucket: string,
  prefix: string | undefined,
  token: string | undefined,
) => Promise<{ objects: ListedObject[]; nextToken: string | undefined } | undefined>;

/**
 * ListObjectsV2 without the SDK's XML deserializer (a sizeable share of verify's CPU per object:
 * bench/verify/RESULTS.md). Keys are asked URL-encoded (`encoding-type=url`):
 * XML 1.0 cannot carry every character a key may hold, and moto sends some raw. Anything
 * unexpected (an error status, an unparsable page, a count that does not add up) gives
 * `undefined`, and the SDK command asks again, for its error mapping and its parser.
 */
export function leanList(send: LeanSend): LeanListPage {
  return async (bucket, prefix, token) => {
    const query: Record<string, string> = { 'list-type': '2', 'encoding-type': 'url' };
    if (prefix) query.prefix = prefix;
    if (token !== undefined) query['continuation-token'] = token;
    let xml: string;
    try {
      const response = await send({ method: 'GET', bucket, query });
      if (!response) return undefined;
      xml = await bodyText(response.body);
      if (response.status !== 200) return undefined;
    } catch {
      return undefined;
    }
    return parseListPage(xml);
  };
}

const CONTENTS = /<Contents>([\s\S]*?)<\/Contents>/g;

/** A ListBucketResult page, or `undefined` when it is not one this parser can vouch for. @internal */
export function parseListPage(
  xml: string,
): { objects: ListedObject[]; nextToken: string | undefined } | undefined {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<ListBucketResult[\s>]/.test(xml) || !xml.includes('</ListBucketResult>'))
    return undefined;
  // Only the top level carries these; Contents are cut out first so a key cannot pose as one.
  const top = xml.replace(CONTENTS, '');
  // A store that ignores encoding-type sends keys as plain XML text: decoding them would corrupt.
  const urlEncoded = elementText(top, 'EncodingType') === 'url';
  const objects: ListedObject[] = [];
  try {
    for (const m of xml.matchAll(CONTENTS)) {
      const c = m[1] as string;
      const rawKey = elementText(c, 'Key');
      if (rawKey === undefined) return undefined;
      const size = elementText(c, 'Size');
      objects.push({
        key: urlEncoded ? decodeURIComponent(rawKey.replace(/\+/g, ' ')) : rawKey,
        size: size === undefined ? undefined : Number(size),
        storageClass: elementText(c, 'StorageClass'),
        etag: elementText(c, 'ETag'),
        isLatest: true,
      });
    }
  } catch {
    // Malformed percent-encoding: not ours to guess.
    return undefined;
  }
  const keyCount = elementText(top, 'KeyCount');
  if (keyCount !== undefined && Number(keyCount) !== objects.length) return undefined;
  const truncated = elementText(top, 'IsTruncated');
  if (truncated !== 'true' && truncated !== 'false') return undefined;
  const nextToken = truncated === 'true' ? elementText(top, 'NextContinuationToken') : undefined;
  if (truncated === 'true' && !nextToken) return undefined;
  return { objects, nextToken };
}
