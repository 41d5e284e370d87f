import { describe, expect, it } from 'vitest';
import { resolveGlobal } from '../../src/config/global.js';

describe('--profile repeated', () => {
  it('keeps every value in order for audit, and the last as the profile of every other command', () => {
    const g = resolveGlobal({ profile: ['prod', 'staging'] }, {});
    expect(g.profiles).toEqual(['prod', 'staging']);
    expect(g.profile).toBe('staging');
  });

  it('one --profile is a list of one; none leaves AWS_PROFILE to name the profile', () => {
    expect(resolveGlobal({ profile: 'prod' }, {})).toMatchObject({ profile: 'prod', profiles: ['prod'] });
    const env = resolveGlobal({}, { AWS_PROFILE: 'ci' });
    expect(env.profile).toBe('ci');
    expect(env.profiles).toBeUndefined();
  });

  it('refuses a control character in any of them', () => {
    expect(() => resolveGlobal({ profile: ['prod', 'bad\nname'] }, {})).toThrow(
      /--profile .* contains a control character/,
    );
  });
});
