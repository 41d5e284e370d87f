import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfileExists } from '../../../../src/adapters/aws/transport/profile.js';
import { PreconditionError } from '../../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 's3e-profile-'));
const config = join(dir, 'config');
const credentials = join(dir, 'credentials');
writeFileSync(config, '[default]\nregion = us-east-1\n[profile sso-dev]\nsso_session = corp\n');
writeFileSync(credentials, '[keys-only]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n');
const files = { config, credentials };

describe('checkProfileExists', () => {
  it.each(['default', 'sso-dev', 'keys-only'])('accepts %s (found in either file)', async (name) => {
    await expect(checkProfileExists(name, files)).resolves.toBeUndefined();
  });

  it('names a missing profile and both files it read (exit 3)', async () => {
    const err = await checkProfileExists('nosuch', files).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    const e = err as PreconditionError;
    expect(e.code).toBe('ProfileNotFound');
    expect(e.exitCode).toBe(3);
    expect(e.oneLine()).toBe(
      `the AWS profile "nosuch" (from --profile or AWS_PROFILE) is not in ${config} (AWS_CONFIG_FILE) or ${credentials} (AWS_SHARED_CREDENTIALS_FILE): check the name (aws configure list-profiles), or unset AWS_PROFILE and drop --profile to use AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the default chain`,
    );
  });

  it('files that do not exist hold no profile', async () => {
    const none = { config: join(dir, 'nope-config'), credentials: join(dir, 'nope-credentials') };
    await expect(checkProfileExists('work', none)).rejects.toThrow(/is not in .*nope-config/);
  });

  it('"default" is never refused for want of a file (the chain may answer from the environment or an instance role)', async () => {
    const none = { config: join(dir, 'nope-config'), credentials: join(dir, 'nope-credentials') };
    await expect(checkProfileExists('default', none)).resolves.toBeUndefined();
  });
});
