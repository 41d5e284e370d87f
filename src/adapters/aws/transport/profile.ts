import { createRequire } from 'node:module';
import { PreconditionError } from '../../../core/errors.js';

/** Where the shared config files are, as the user would name them (for messages). */
export interface SharedFiles {
  /** AWS_CONFIG_FILE, or undefined for the SDK's default (~/.aws/config). */
  config?: string | undefined;
  /** AWS_SHARED_CREDENTIALS_FILE, or undefined for the SDK's default (~/.aws/credentials). */
  credentials?: string | undefined;
}

type ProfileSections = Record<string, Record<string, string | undefined> | undefined>;
type LoadSharedConfigFiles = (init: {
  filepath?: string;
  configFilepath?: string;
  ignoreCache?: boolean;
}) => Promise<{ configFile: ProfileSections; credentialsFile: ProfileSections }>;

let loader: LoadSharedConfigFiles | undefined;

/**
 * The SDK's own reader of ~/.aws/config and ~/.aws/credentials (the one its credential chain
 * uses), resolved from the S3 client's package so it is the copy the SDK itself loads.
 */
function loadSharedConfigFiles(): LoadSharedConfigFiles {
  if (!loader) {
    const fromSdk = createRequire(createRequire(import.meta.url).resolve('@aws-sdk/client-s3'));
    loader = (fromSdk('@smithy/core/config') as { loadSharedConfigFiles: LoadSharedConfigFiles })
      .loadSharedConfigFiles;
  }
  return loader;
}

const checked = new Map<string, Promise<void>>();

/**
 * A named profile (--profile or AWS_PROFILE) must exist in one of the shared files. Without this
 * check the SDK skips the environment credentials (printing a nine-line warning when they are
 * set), then ends its chain with "could not load credentials from any providers", which names
 * neither the profile nor the files it read.
 */
export function checkProfileExists(profile: string, files: SharedFiles): Promise<void> {
  // "default" is what the chain uses anyway when no profile is named: naming it changes nothing,
  // and an instance role or environment credentials must still answer without any file.
  if (profile === 'default') return Promise.resolve();
  const id = `${profile}\u0000${files.config ?? ''}\u0000${files.credentials ?? ''}`;
  let p = checked.get(id);
  if (!p) {
    p = (async () => {
      const { configFile, credentialsFile } = await loadSharedConfigFiles()({
        ...(files.config ? { configFilepath: files.config } : {}),
        ...(files.credentials ? { filepath: files.credentials } : {}),
      });
      if (configFile[profile] || credentialsFile[profile]) return;
      const configPath = files.config ? `${files.config} (AWS_CONFIG_FILE)` : '~/.aws/config';
      const credentialsPath = files.credentials
        ? `${files.credentials} (AWS_SHARED_CREDENTIALS_FILE)`
        : '~/.aws/credentials';
      throw new PreconditionError(
        'ProfileNotFound',
        `the AWS profile "${profile}" (from --profile or AWS_PROFILE) is not in ${configPath} or ${credentialsPath}`,
        'check the name (aws configure list-profiles), or unset AWS_PROFILE and drop --profile to use AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the default chain',
      );
    })();
    checked.set(id, p);
  }
  return p;
}
