// The reason on a bucket whose only inventory cannot be read (ORC) names every format audit reads:
// it said "(CSV, enabled)" after Parquet deliveries became readable too.
import { expect, it } from 'vitest';
import { judge } from '../../../src/core/audit/verdict.js';

it('an unusable inventory names CSV and Parquet as the formats that would do', () => {
  const j = judge({
    bucket: 'b-1',
    region: 'us-east-1',
    encryption: undefined,
    inventory: { usable: false, id: null, destination: null, unusable: ['orc-daily'] },
    objects: undefined,
    problems: [],
  });
  expect(j.verdict).toBe('unknown');
  expect(j.reasons).toContain(
    'objects: unknown: no inventory configuration of the whole bucket with EncryptionStatus and BucketKeyStatus (CSV or Parquet, enabled, no prefix filter)',
  );
});
