// SDK clients pointed at an integration target, for arranging and inspecting test state.
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Target } from './target.js';

export function s3For(t: Target, over: { accessKeyId?: string; secretAccessKey?: string } = {}): S3Client {
  return new S3Client({
    region: t.region,
    endpoint: t.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: {
      accessKeyId: over.accessKeyId ?? t.accessKeyId,
      secretAccessKey: over.secretAccessKey ?? t.secretAccessKey,
    },
  });
}

export function kmsFor(t: Target, region = t.region): KMSClient {
  return new KMSClient({
    region,
    endpoint: t.endpoint,
    credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
  });
}
