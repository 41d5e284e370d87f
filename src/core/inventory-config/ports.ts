import type { InventoryConfig } from './inventory-config.js';

/** Bucket inventory configurations (Get/PutBucketInventoryConfiguration). Never deletes one. */
export interface InventoryConfigStore {
  /**
   * The configuration with this Id, or undefined when there is none. Throws
   * PreconditionError(InventoryUnsupported) on stores that have no inventory API.
   */
  get(bucket: string, id: string): Promise<InventoryConfig | undefined>;
  /** Creates or replaces the configuration with `config.Id`; other configurations are untouched. */
  put(bucket: string, config: InventoryConfig): Promise<void>;
}

/** Bucket policies as JSON text (Get/PutBucketPolicy). */
export interface BucketPolicyStore {
  /** The policy document, or undefined when the bucket has none (NoSuchBucketPolicy). */
  get(bucket: string): Promise<string | undefined>;
  /** Replaces the whole policy. */
  put(bucket: string, policyJson: string): Promise<void>;
  /** Removes the policy (DeleteBucketPolicy); only to undo our own write where there was none. */
  delete(bucket: string): Promise<void>;
}
