// --date (build-manifest and create-job --inventory): what names a delivery, and the one line
// when none matches.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { isDeliveryDate, noDeliveryError, parseDeliveryDate } from '../../../src/core/inventory/manifest.js';

describe('isDeliveryDate', () => {
  it.each(['latest', '2026-05-01', '2024-02-29', '2026-05-01T00-00Z', '2026-12-31T23-59Z'])(
    'accepts %s',
    (v) => expect(isDeliveryDate(v)).toBe(true),
  );
  it.each([
    'yesterday',
    '2026-13-01',
    '2026-02-30',
    '2025-02-29',
    '2026-00-10',
    '2026-05-01T24-00Z',
    '2026-05-01T10-60Z',
    '2026-5-1',
    '2026-05-01T10:00Z',
    '',
  ])('refuses %j', (v) => expect(isDeliveryDate(v)).toBe(false));
});

describe('parseDeliveryDate', () => {
  it('defaults to latest and keeps a valid day', () => {
    expect(parseDeliveryDate(undefined, 's3://inv/p/b/cfg/')).toBe('latest');
    expect(parseDeliveryDate('2026-05-01', 's3://inv/p/b/cfg/')).toBe('2026-05-01');
  });
  it('refuses a bad date with one line saying how to list the deliveries', () => {
    let err: unknown;
    try {
      parseDeliveryDate('2026-13-01', 's3://inv/p/b/cfg/');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).oneLine()).toBe(
      'invalid --date "2026-13-01": not latest, a day (YYYY-MM-DD) or a delivery folder (YYYY-MM-DDTHH-MMZ): pass --date latest, or a day that has a delivery (list them: aws s3 ls s3://inv/p/b/cfg/)',
    );
  });
});

describe('noDeliveryError', () => {
  const folders = ['data', 'hive', '2026-05-01T00-00Z', '2026-05-03T00-00Z', '2026-05-02T00-00Z'];
  it('names the deliveries that exist, newest first, when a day has none', () => {
    expect(noDeliveryError('s3://inv/p/b/cfg/', '2026-04-30', [], folders).oneLine()).toBe(
      'no 2026-04-30 complete inventory delivery under s3://inv/p/b/cfg/: deliveries there: 2026-05-03T00-00Z, 2026-05-02T00-00Z, 2026-05-01T00-00Z; pass --date latest or one of their days',
    );
  });
  it('caps the list and says how many more', () => {
    const many = Array.from({ length: 8 }, (_, i) => `2026-05-0${i + 1}T00-00Z`);
    expect(noDeliveryError('w', '2026-04-30', [], many).oneLine()).toMatch(
      /deliveries there: 2026-05-08T00-00Z, .*, 2026-05-04T00-00Z and 3 older;/,
    );
  });
  it('says there is none at all when the folder is empty', () => {
    expect(noDeliveryError('w', '2026-04-30', [], ['data']).oneLine()).toMatch(
      /there is no delivery there at all/,
    );
  });
});
