// In-memory fakes for the inventory-configuration and Batch ports (setup-inventory, create-job,
// status). `unfakedBatchPorts()` fills fakeServices() for tests that never touch these ports.
import { createHash } from 'node:crypto';
import type { BatchFiles, BatchJobs, FileRef, ObjectFacts } from '../../src/core/batch/ports.js';
import { UsageError } from '../../src/core/errors.js';
import type { InventoryConfig } from '../../src/core/inventory-config/inventory-config.js';
import type { BucketPolicyStore, InventoryConfigStore } from '../../src/core/inventory-config/ports.js';
import { formatS3Uri, type S3Location } from '../../src/core/s3-uri.js';

function notFaked(port: string): never {
  throw new Error(`${port} is not faked in this test: build the services with test/support/batch-fakes.ts`);
}

export function unfakedBatchPorts(): {
  inventoryConfigs: InventoryConfigStore;
  bucketPolicies: BucketPolicyStore;
  batchJobs: BatchJobs;
  batchFiles: BatchFiles;
} {
  return {
    inventoryConfigs: { get: () => notFaked('inventoryConfigs'), put: () => notFaked('inventoryConfigs') },
    bucketPolicies: {
      get: () => notFaked('bucketPolicies'),
      put: () => notFaked('bucketPolicies'),
      delete: () => notFaked('bucketPolicies'),
    },
    batchJobs: {
      createJob: () => notFaked('batchJobs'),
      describeJob: () => notFaked('batchJobs'),
      bucketVersioning: () => notFaked('batchJobs'),
    },
    batchFiles: {
      readText: () => notFaked('batchFiles'),
      firstLine: () => notFaked('batchFiles'),
      head: () => notFaked('batchFiles'),
      csvRows: () => notFaked('batchFiles'),
      writeText: () => notFaked('batchFiles'),
    },
  };
}

/** Files by `s3://bucket/key` or local path; S3 objects get an ETag and an encryption. */
export interface FakeFileWorld {
  files: Map<string, { text: string; etag?: string; sse?: string }>;
  writes: string[];
}

export function fakeFileWorld(): FakeFileWorld {
  return { files: new Map(), writes: [] };
}

function refKey(ref: FileRef): string {
  return ref.kind === 's3' ? formatS3Uri(ref.location) : ref.path;
}

export function fakeBatchFiles(world: FakeFileWorld): BatchFiles {
  const get = (key: string) => {
    const f = world.files.get(key);
    if (!f) throw new UsageError(`${key} does not exist`, 'check the path or s3:// URI', 'NotFound');
    return f;
  };
  return {
    async readText(ref) {
      // Same wording as the real adapter: local paths are named "file PATH".
      if (ref.kind === 'file' && !world.files.has(ref.path))
        throw new UsageError(`file ${ref.path} does not exist`, 'check the path or s3:// URI', 'NotFound');
      return get(refKey(ref)).text;
    },
    async firstLine(loc: S3Location) {
      const text = get(formatS3Uri(loc)).text;
      return text.split('\n')[0] ?? '';
    },
    async head(loc): Promise<ObjectFacts | undefined> {
      const f = world.files.get(formatS3Uri(loc));
      return f ? { etag: f.etag ?? 'f'.repeat(32), serverSideEncryption: f.sse } : undefined;
    },
    async *csvRows(loc) {
      for (const line of get(formatS3Uri(loc)).text.split('\n')) if (line) yield line.split(',');
    },
    async writeText(ref, text) {
      const key = refKey(ref);
      world.writes.push(key);
      // As S3 gives a single PUT with SSE-S3: the MD5 of the bytes (status compares it).
      const etag = ref.kind === 's3' ? createHash('md5').update(text, 'utf8').digest('hex') : undefined;
      world.files.set(key, { text, ...(etag ? { etag, sse: 'AES256' } : {}) });
      return { etag };
    },
  };
}

export function fakeInventoryStores(): {
  configs: Map<string, InventoryConfig>;
  policies: Map<string, string>;
  writes: string[];
  inventoryConfigs: InventoryConfigStore;
  bucketPolicies: BucketPolicyStore;
} {
  const configs = new Map<string, InventoryConfig>();
  const policies = new Map<string, string>();
  const writes: string[] = [];
  return {
    configs,
    policies,
    writes,
    inventoryConfigs: {
      async get(bucket, id) {
        const c = configs.get(`${bucket}/${id}`);
        return c ? structuredClone(c) : undefined;
      },
      async put(bucket, config) {
        writes.push(`putInventory ${bucket}/${config.Id}`);
        configs.set(`${bucket}/${config.Id}`, structuredClone(config));
      },
    },
    bucketPolicies: {
      async get(bucket) {
        return policies.get(bucket);
      },
      async put(bucket, json) {
        writes.push(`putPolicy ${bucket}`);
        policies.set(bucket, json);
      },
      async delete(bucket) {
        writes.push(`deletePolicy ${bucket}`);
        policies.delete(bucket);
      },
    },
  };
}
