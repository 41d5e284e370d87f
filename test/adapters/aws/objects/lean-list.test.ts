// ListObjectsV2 pages read without the SDK: what moto and Ceph RGW actually sent (captured with
// awkward keys), what AWS documents for encoding-type=url (space as "+"), and every page the
// parser must refuse so that the SDK command lists it instead.
import { describe, expect, it } from 'vitest';
import { parseListPage } from '../../../../src/adapters/aws/objects/lean-list.js';
import { unescapeXml } from '../../../../src/adapters/aws/transport/lean-response.js';

const ETAG = '&quot;9dd4e461268c8034f5c8564e155c67a6&quot;';
const contents = (key: string, etag = ETAG, extra = '') =>
  `<Contents><Key>${key}</Key><LastModified>2026-11-30T17:10:00.000Z</LastModified><ETag>${etag}</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass>${extra}</Contents>`;

// Ceph RGW 16, encoding-type=url: keys percent-encoded, yet an apostrophe still as an entity.
const RGW = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><EncodingType>url</EncodingType><Name>b</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${[
  '%2541%25',
  'a%20b%2Bc',
  'amp%26lt%3Cgt%3E%22q&apos;',
  'cr%0Dx',
  'ctl%01x',
  'nl%0Ax',
  'tab%09x',
  '%C3%BC%E6%97%A5%E6%9C%AC',
]
  .map((k) => contents(k, ETAG, '<Type>Normal</Type>'))
  .join('')}</ListBucketResult>`;

// moto 5, encoding-type=url: ETag quotes raw, EncodingType and KeyCount after the contents.
const MOTO = `<?xml version="1.0" encoding="utf-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>true</IsTruncated>${[
  'a%20b%2Bc',
  'ctl%01x',
]
  .map((k) => contents(k, '"9dd4e461268c8034f5c8564e155c67a6"'))
  .join(
    '',
  )}<Name>b</Name><Prefix/><MaxKeys>2</MaxKeys><EncodingType>url</EncodingType><KeyCount>2</KeyCount><NextContinuationToken>1/Ab+c=d==&amp;x</NextContinuationToken></ListBucketResult>`;

const KEYS = ['%41%', 'a b+c', `amp&lt<gt>"q'`, 'cr\rx', 'ctl\u0001x', 'nl\nx', 'tab\tx', 'ü日本'];

describe('parseListPage', () => {
  it("reads Ceph RGW's page: keys decoded after their entities, ETag, size, class", () => {
    const page = parseListPage(RGW);
    expect(page?.objects.map((o) => o.key)).toEqual(KEYS);
    expect(page?.objects[0]).toEqual({
      key: '%41%',
      etag: '"9dd4e461268c8034f5c8564e155c67a6"',
      size: 1,
      storageClass: 'STANDARD',
      isLatest: true,
    });
    expect(page?.nextToken).toBeUndefined();
  });

  it("reads moto's page, with its continuation token (not URL-encoded) and KeyCount", () => {
    const page = parseListPage(MOTO);
    expect(page?.objects.map((o) => o.key)).toEqual(['a b+c', 'ctl\u0001x']);
    expect(page?.nextToken).toBe('1/Ab+c=d==&x');
  });

  it('reads "+" as a space, as AWS encodes it (%2B is the plus sign)', () => {
    const page = parseListPage(
      `<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>${contents('my+file%2B1.txt')}</ListBucketResult>`,
    );
    expect(page?.objects[0]?.key).toBe('my file+1.txt');
  });

  it('leaves keys as sent by a store that ignored encoding-type', () => {
    const page = parseListPage(
      `<ListBucketResult><IsTruncated>false</IsTruncated>${contents('a+b %41 &amp; &#x0d;')}</ListBucketResult>`,
    );
    expect(page?.objects[0]?.key).toBe('a+b %41 & \r');
  });

  it('lists an empty bucket', () => {
    expect(
      parseListPage(
        '<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>',
      ),
    ).toEqual({ objects: [], nextToken: undefined });
  });

  it.each([
    ['an error document', '<Error><Code>AccessDenied</Code></Error>'],
    ['a cut-off page', RGW.slice(0, RGW.length - 30)],
    ['a KeyCount that does not match', MOTO.replace('<KeyCount>2</KeyCount>', '<KeyCount>3</KeyCount>')],
    [
      'a truncated page without a token',
      MOTO.replace(/<NextContinuationToken>.*<\/NextContinuationToken>/, ''),
    ],
    ['no IsTruncated', RGW.replace('<IsTruncated>false</IsTruncated>', '')],
    ['malformed percent-encoding', RGW.replace('cr%0Dx', 'cr%E6x')],
    ['an entry without a key', RGW.replace('<Key>tab%09x</Key>', '')],
  ])('refuses %s (the SDK lists that page instead)', (_what, xml) => {
    expect(parseListPage(xml)).toBeUndefined();
  });

  it('takes IsTruncated from the top level, never from inside an entry', () => {
    const sneaky = RGW.replace('<Key>tab%09x</Key>', '<Key>tab%09x</Key><IsTruncated>true</IsTruncated>');
    expect(parseListPage(sneaky)?.nextToken).toBeUndefined();
  });
});

describe('unescapeXml', () => {
  it('decodes the five named entities and numeric references, nothing else', () => {
    expect(unescapeXml('&amp;&lt;&gt;&quot;&apos;&#65;&#x1F600;&amp;lt;&foo;')).toBe(`&<>"'A😀&lt;&foo;`);
  });
});
