// The one shape a test gets for "the S3 endpoint of this tier". Types only: no runtime imports,
// so both the vitest main process (global-setup.ts) and test workers (servers.ts) can use it.

export type Tier = 'moto' | 'rgw' | 'seaweedfs';

export type Target = {
  tier: Tier;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * RGW: the key ids of its `testing` KMS backend; SeaweedFS: ids its local KMS provider creates on
   * first use (both plain names, not ARNs). moto: [] (tests CreateKey).
   */
  kmsKeyIds: string[];
};

// global-setup.ts: project.provide('s3eTarget', target); servers.ts: inject('s3eTarget').
declare module 'vitest' {
  export interface ProvidedContext {
    s3eTarget: Target;
  }
}
