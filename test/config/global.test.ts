import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOptions, resolveGlobal, schemas } from '../../src/config/global.js';
import { UsageError } from '../../src/core/errors.js';

describe('resolveGlobal', () => {
  it('flag beats env; env beats the default; NO_COLOR turns colour off', () => {
    expect(resolveGlobal({ region: 'eu-west-1' }, { AWS_REGION: 'us-west-2' })).toMatchObject({
      region: 'eu-west-1',
      regionExplicit: true,
    });
    expect(resolveGlobal({}, { AWS_DEFAULT_REGION: 'us-west-2' })).toMatchObject({
      region: 'us-west-2',
      regionExplicit: true,
    });
    expect(resolveGlobal({}, {})).toMatchObject({ region: 'us-east-1', regionExplicit: false, color: true });
    expect(resolveGlobal({}, { NO_COLOR: '' }).color).toBe(false);
    expect(resolveGlobal({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' }).endpointUrl).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it.each([
    [{ region: 'Europe' }, /invalid region "Europe"/],
    [{ endpointUrl: 'localhost:9000' }, /invalid --endpoint-url "localhost:9000": give a URL/],
  ])('rejects %j', (raw, msg) => {
    expect(() => resolveGlobal(raw, {})).toThrow(UsageError);
    try {
      resolveGlobal(raw, {});
    } catch (e) {
      expect((e as UsageError).oneLine()).toMatch(msg);
    }
  });

  // Every message about the store names its URL: a password in it would be printed and logged.
  it.each([
    [{ endpointUrl: 'http://user:hunter2@127.0.0.1:9000' }, {}],
    [{ endpointUrl: 'https://:hunter2@s3.example.com' }, {}],
    [{ endpointUrl: 'http://hunter2@127.0.0.1:9000' }, {}],
    [{}, { AWS_ENDPOINT_URL: 'http://user:hunter2@127.0.0.1:9000' }],
    [{}, { AWS_ENDPOINT_URL_S3: 'http://user:hunter2@127.0.0.1:9000' }],
    [{ endpointUrl: 'htp//user:hunter2@host' }, {}],
    [{ endpointUrl: 'ftp://user:hunter2@host' }, {}],
  ])('refuses a user name or password in the endpoint %j %j, and never shows it', (raw, env) => {
    let line = '';
    try {
      resolveGlobal(raw, env);
    } catch (e) {
      line = (e as UsageError).oneLine();
    }
    expect(line).toMatch(/^invalid --endpoint-url "/);
    expect(line).not.toContain('hunter2');
  });
});

describe('parseOptions', () => {
  const S = z.object({ bucket: schemas.bucket, concurrency: schemas.concurrency() });
  it.each([
    [{ bucket: 's3://b-1', concurrency: '4' }, /invalid --bucket "s3:\/\/b-1": .*no s3:\/\/ prefix/],
    [{ bucket: 'b-1', concurrency: '0' }, /invalid --concurrency "0": must be at least 1/],
    [{ bucket: 'b-1', concurrency: 'many' }, /invalid --concurrency "many": give a whole number, e.g. 16/],
    [{ bucket: 'b-1', concurrency: '2.5' }, /invalid --concurrency "2.5": must be a whole number/],
  ])('names the flag and the fix: %j', (raw, msg) => {
    let line = '';
    try {
      parseOptions(S, raw);
    } catch (e) {
      line = (e as UsageError).oneLine();
    }
    expect(line).toMatch(msg);
  });
  it('coerces valid values', () => {
    expect(parseOptions(S, { bucket: 'b-1', concurrency: '8' })).toEqual({ bucket: 'b-1', concurrency: 8 });
  });
});
