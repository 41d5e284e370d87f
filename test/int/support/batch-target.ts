// The local S3 Batch Operations service of this tier (scripts/local-s3/batch.sh, started by
// global-setup.ts after the store): its endpoint, which the CLI reaches through
// AWS_ENDPOINT_URL_S3_CONTROL, the SDK's own service-specific endpoint setting.
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    s3eBatchEndpoint: string;
  }
}

export function batchEndpoint(): string {
  const ep = inject('s3eBatchEndpoint');
  if (!ep)
    throw new Error('No S3 Batch service endpoint: the global setup did not start scripts/local-s3/batch.sh');
  return ep;
}

/** The environment that points a CLI child process's S3 Control at the local service. */
export function batchEnv(): Record<string, string> {
  return { AWS_ENDPOINT_URL_S3_CONTROL: batchEndpoint() };
}
