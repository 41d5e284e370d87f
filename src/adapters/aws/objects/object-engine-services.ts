import type { EncryptServices } from '../../../core/encrypt/ports.js';
import { openReport } from '../../fs/report-writer.js';
import { openState } from '../../fs/state-store.js';
import type { AwsClients } from '../transport/clients.js';
import { manifestReader } from './object-source.js';
import { encryptObjectStore } from './object-store.js';

/** What `encrypt` needs beyond the shared ports: the engine's store, manifests, state and report files. */
export function encryptServices(aws: AwsClients): EncryptServices {
  return {
    store: encryptObjectStore(aws.config),
    manifests: manifestReader(aws),
    openState,
    openReport,
  };
}
