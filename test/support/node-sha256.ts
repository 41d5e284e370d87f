import { createHash, createHmac } from 'node:crypto';

/** The hash constructor @smithy/signature-v4 wants, on node:crypto: for comparing signers in tests. */
export class NodeSha256 {
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
