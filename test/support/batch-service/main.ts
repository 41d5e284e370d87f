// Entry point of the local S3 Batch Operations service (scripts/local-s3/batch.sh builds this with
// esbuild into .local/batch-service.mjs and runs it). Configuration from the environment:
//   S3E_BATCH_PORT                          port on 127.0.0.1 (0: any)
//   S3E_BATCH_STORE_ENDPOINT, _REGION       the S3 store the jobs run against (moto or Ceph RGW)
//   S3E_BATCH_ACCESS_KEY, S3E_BATCH_SECRET_KEY   the store's credentials, also the ones every
//                                           request to this service must be signed with
// Prints one line "batch-service listening on http://localhost:PORT" once it answers.
import { startBatchService } from './server.js';

function need(name: string): string {
  const v = process.env[name];
  if (!v) {
    console.error(`batch-service: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const creds = { accessKeyId: need('S3E_BATCH_ACCESS_KEY'), secretAccessKey: need('S3E_BATCH_SECRET_KEY') };
const service = await startBatchService({
  store: {
    endpoint: need('S3E_BATCH_STORE_ENDPOINT'),
    region: process.env.S3E_BATCH_REGION || 'us-east-1',
    ...creds,
  },
  credentials: creds,
  port: Number(process.env.S3E_BATCH_PORT || 0),
});
console.log(`batch-service listening on ${service.url}`);
const stop = () => void service.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
