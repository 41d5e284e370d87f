import { accountInfo } from './adapters/aws/account.js';
import { bucketEncryptionStore, bucketInfo } from './adapters/aws/bucket-settings.js';
import { makeClients } from './adapters/aws/clients.js';
import { keyDirectory } from './adapters/aws/key-directory.js';
import { objectReader } from './adapters/aws/object-reader.js';
import type { GlobalConfig } from './config/global.js';
import type {
  AccountInfo,
  BucketEncryptionStore,
  BucketInfo,
  KeyDirectory,
  ObjectReader,
} from './core/ports.js';

/** Every port a command may use, built for one region. Tests build this from fakes instead. */
export interface Services {
  region: string;
  endpoint?: string | undefined;
  keys: KeyDirectory;
  buckets: BucketInfo;
  encryption: BucketEncryptionStore;
  objects: ObjectReader;
  account: AccountInfo;
}

export type ServicesFactory = (config: GlobalConfig) => Services;

/** The composition root: the only place that turns configuration into real AWS adapters. */
export const awsServices: ServicesFactory = (config) => {
  const aws = makeClients({ region: config.region, profile: config.profile, endpoint: config.endpointUrl });
  return {
    region: config.region,
    endpoint: config.endpointUrl,
    keys: keyDirectory(aws),
    buckets: bucketInfo(aws),
    encryption: bucketEncryptionStore(aws),
    objects: objectReader(aws),
    account: accountInfo(aws),
  };
};
