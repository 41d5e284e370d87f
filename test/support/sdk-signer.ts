import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The hash constructor @smithy/signature-v4 wants, on node:crypto. */
class NodeSha256 {
  private readonly h;
  constructor(secret?: unknown) {
    this.h = secret ? createHmac('sha256', secret as Buffer) : createHash('sha256');
  }
  update(data: Uint8Array | string): void {
    this.h.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

/**
 * The headers the AWS SDK's own signer gives an S3 request to 127.0.0.1:4566 (its S3 settings:
 * the path signed as sent), for comparing our signers with it.
 */
export async function sdkSign(
  req: { method: string; path: string; query?: Record<string, string>; headers?: Record<string, string> },
  opts: {
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
    region: string;
    date: Date;
  },
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 's3',
    region: opts.region,
    credentials: opts.credentials,
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: req.path,
      query: req.query ?? {},
      headers: { 'x-amz-content-sha256': EMPTY_SHA256, ...req.headers, host: '127.0.0.1:4566' },
    },
    { signingDate: opts.date },
  );
  return signed.headers as Record<string, string>;
}
