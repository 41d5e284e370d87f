import { EncryptionClass } from '../encryption/classify.js';
import { Action, type ObjectResult } from './types.js';

/** Request counts a run would make (dry run), by API. ACL figures are upper bounds. */
export interface RequestEstimate {
  HeadObject: number;
  CopyObject: number;
  UpdateObjectEncryption: number;
  ListMultipartUploads: number;
  CreateMultipartUpload: number;
  UploadPartCopy: number;
  CompleteMultipartUpload: number;
  GetObjectTagging: number;
  GetObjectAcl: number;
  PutObjectAcl: number;
}

export interface KmsEstimate {
  /** GenerateDataKey + Decrypt requests S3 may make on your behalf, at most. */
  upperBound: number;
  assumption: string;
}

const KMS_ASSUMPTION =
  'upper bound: one GenerateDataKey per rewritten object, plus one Decrypt per object (per part for multipart copies) read from another KMS key or without a bucket key. With S3 Bucket Keys S3 reuses a bucket-level key for a limited time, so real GenerateDataKey calls are usually far fewer (AWS: up to 99% fewer); NOT-SSE and SSE-S3 sources need no Decrypt.';

const KMS_SOURCES = new Set<string>([
  EncryptionClass.SSE_KMS_OTHER_KEY,
  EncryptionClass.SSE_KMS_NO_BUCKET_KEY,
]);

/** Accumulates the request and KMS estimate from planned results. */
export class RequestEstimator {
  readonly requests: RequestEstimate = {
    HeadObject: 0,
    CopyObject: 0,
    UpdateObjectEncryption: 0,
    ListMultipartUploads: 0,
    CreateMultipartUpload: 0,
    UploadPartCopy: 0,
    CompleteMultipartUpload: 0,
    GetObjectTagging: 0,
    GetObjectAcl: 0,
    PutObjectAcl: 0,
  };
  private kms = 0;

  constructor(private readonly aclsInForce: boolean) {}

  add(r: ObjectResult): void {
    const q = this.requests;
    q.HeadObject++;
    if (r.outcome !== 'planned') return;
    const kmsSource = r.before !== undefined && KMS_SOURCES.has(r.before);
    switch (r.action) {
      case Action.UPDATE:
        q.UpdateObjectEncryption++;
        q.HeadObject++;
        this.kms += 1 + (kmsSource ? 1 : 0);
        break;
      case Action.COPY:
        q.CopyObject++;
        q.HeadObject++;
        if (this.aclsInForce) {
          q.GetObjectAcl += 3;
          q.PutObjectAcl++;
        }
        this.kms += 1 + (kmsSource ? 1 : 0);
        break;
      case Action.MULTIPART: {
        const parts = r.parts ?? 1;
        q.ListMultipartUploads++;
        q.CreateMultipartUpload++;
        q.UploadPartCopy += parts;
        q.CompleteMultipartUpload++;
        q.HeadObject++;
        q.GetObjectTagging += 2;
        if (this.aclsInForce) {
          q.GetObjectAcl += 2;
          q.PutObjectAcl++;
        }
        this.kms += 1 + (kmsSource ? parts : 0);
        break;
      }
      default:
        break;
    }
  }

  kmsEstimate(): KmsEstimate {
    return { upperBound: this.kms, assumption: KMS_ASSUMPTION };
  }
}
