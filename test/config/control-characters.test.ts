import { describe, expect, it } from 'vitest';
import { refuseControlCharacters, resolveGlobal } from '../../src/config/global.js';
import { UsageError } from '../../src/core/errors.js';

function refusal(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    return e as UsageError;
  }
  throw new Error('accepted');
}

describe('control characters in flag values', () => {
  it.each([
    ['prefix', 'logs/\nfake', '--prefix "logs/\\nfake"'],
    ['destinationPrefix', 'a\u0001b', '--destination-prefix "a\\u0001b"'],
    ['id', '\u001b[2Jx', '--id "\\u001b[2Jx"'],
    ['kmsKey', 'alias/app\t', '--kms-key "alias/app\\t"'],
    ['manifest', ['a.csv', 'b\u009b.csv'], '--manifest "b\\u009b.csv"'],
  ])('--%s is refused with the value shown escaped (exit 2)', (name, value, shown) => {
    const err = refusal(() => refuseControlCharacters({ [name]: value }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe('ControlCharacter');
    expect(err.exitCode).toBe(2);
    expect(err.oneLine()).toBe(
      `${shown} contains a control character: give the value as one line of plain text (no newline, tab or escape sequence)`,
    );
  });

  it('plain values, booleans and numbers pass', () => {
    expect(() =>
      refuseControlCharacters({ prefix: 'logs/2024 é/日本', dryRun: true, concurrency: '8', state: false }),
    ).not.toThrow();
  });

  it('global options and the environment variables read as options are checked too', () => {
    expect(refusal(() => resolveGlobal({ profile: 'a\nb' }, {})).oneLine()).toMatch(
      /^--profile "a\\nb" contains/,
    );
    expect(refusal(() => resolveGlobal({}, { AWS_PROFILE: 'dev\u001b' })).oneLine()).toMatch(
      /^AWS_PROFILE "dev\\u001b" contains a control character: set AWS_PROFILE again/,
    );
    expect(refusal(() => resolveGlobal({}, { AWS_ENDPOINT_URL: 'http://h\n:1' })).code).toBe(
      'ControlCharacter',
    );
    // The URL parser would silently drop the newline and reach another host.
    expect(refusal(() => resolveGlobal({ endpointUrl: 'http://127.0.0.1:9\n000' }, {})).code).toBe(
      'ControlCharacter',
    );
  });

  it('the profile files are passed on for messages', () => {
    expect(
      resolveGlobal({}, { AWS_CONFIG_FILE: '/c', AWS_SHARED_CREDENTIALS_FILE: '/k' }).sharedFiles,
    ).toEqual({ config: '/c', credentials: '/k' });
  });
});
