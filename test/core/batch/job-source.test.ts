// create-job's choice of object list: exactly one, and --inventory/--id/--date only together.
import { describe, expect, it } from 'vitest';
import { checkJobSource, type JobSourceFlags } from '../../../src/core/batch/job-source.js';
import { UsageError } from '../../../src/core/errors.js';

const base: JobSourceFlags = { generateManifest: false, allowVersioned: false };
const inv = { inventory: 's3://inv/p', id: 'cfg' };

describe('checkJobSource', () => {
  it.each<[string, Partial<JobSourceFlags>, string]>([
    ['summary', { summary: 's.json' }, 'summary'],
    ['inventory with id', inv, 'inventory'],
    ['inventory with id and date', { ...inv, date: 'latest' }, 'inventory'],
    ['generator', { generateManifest: true, storageClass: 'STANDARD' }, 'generate'],
  ])('%s', (_name, flags, source) => {
    expect(checkJobSource({ ...base, ...flags })).toBe(source);
  });

  it.each<[string, Partial<JobSourceFlags>, RegExp]>([
    [
      '--date alone',
      { date: 'latest' },
      /create-job needs a list of objects.*--inventory s3:\/\/DEST\/PREFIX --id ID/,
    ],
    ['--date with --summary', { summary: 's.json', date: 'latest' }, /--date only applies with --inventory/],
    [
      '--date with --manifest',
      { manifest: `s3://m/k.csv,${'a'.repeat(32)}`, storageClass: 'STANDARD', date: '2026-05-01' },
      /--date only applies with --inventory/,
    ],
    [
      '--date with --generate-manifest',
      { generateManifest: true, storageClass: 'STANDARD', date: 'latest' },
      /--date only applies with --inventory/,
    ],
    ['--id with --summary', { summary: 's.json', id: 'cfg' }, /--id only applies with --inventory/],
    ['--inventory without --id', { inventory: 's3://inv/p', date: 'latest' }, /--inventory needs --id/],
    ['--inventory with --summary', { ...inv, summary: 's.json' }, /give only one list of objects/],
    [
      '--inventory with --generate-manifest',
      { ...inv, generateManifest: true },
      /give only one list of objects/,
    ],
    [
      '--inventory with --storage-class',
      { ...inv, storageClass: 'STANDARD' },
      /come from the manifests built from the delivery/,
    ],
    [
      '--inventory with --group',
      { ...inv, group: 'copy' },
      /come from the manifests built from the delivery/,
    ],
    ['--inventory with --prefix', { ...inv, prefix: 'a/' }, /--prefix only applies with --generate-manifest/],
  ])('%s is a usage error', (_name, flags, message) => {
    let err: unknown;
    try {
      checkJobSource({ ...base, ...flags });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).oneLine()).toMatch(message);
  });
});
