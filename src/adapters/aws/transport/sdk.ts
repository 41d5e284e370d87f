import { createRequire } from 'node:module';
import type * as KMS from '@aws-sdk/client-kms';
import type * as S3 from '@aws-sdk/client-s3';
import type * as S3Control from '@aws-sdk/client-s3-control';
import type * as STS from '@aws-sdk/client-sts';
import type * as Endpoints from '@smithy/core/endpoints';
import type * as HttpHandler from '@smithy/node-http-handler';
import type * as Signer from '@smithy/signature-v4';
import type * as Transport from '@smithy/core/transport';

const load = createRequire(import.meta.url);
let s3: typeof S3 | undefined;
let kms: typeof KMS | undefined;
let s3control: typeof S3Control | undefined;
let sts: typeof STS | undefined;
let endpoints: typeof Endpoints | undefined;
let httpHandler: typeof HttpHandler | undefined;
let signer: typeof Signer | undefined;
let transport: typeof Transport | undefined;

/**
 * The AWS SDK packages, each loaded on first use. Loading all four clients up front (by import or
 * by require alike) is paid in every run's start-up (bench/verify/startup.mjs, BENCHMARKS.md), and
 * a command loads only the clients it uses (verify: S3 alone). require() because they are CommonJS bundles and it keeps these getters synchronous.
 * @smithy/core is the S3 client's own dependency, loaded by it anyway.
 */
export const sdk = {
  get s3(): typeof S3 {
    return (s3 ??= load('@aws-sdk/client-s3') as typeof S3);
  },
  get kms(): typeof KMS {
    return (kms ??= load('@aws-sdk/client-kms') as typeof KMS);
  },
  get s3control(): typeof S3Control {
    return (s3control ??= load('@aws-sdk/client-s3-control') as typeof S3Control);
  },
  get sts(): typeof STS {
    return (sts ??= load('@aws-sdk/client-sts') as typeof STS);
  },
  /** The S3 client's own endpoint resolution (what its endpoint middleware calls), for lean-send.ts. */
  get endpoints(): typeof Endpoints {
    return (endpoints ??= load('@smithy/core/endpoints') as typeof Endpoints);
  },
  /** The clients' own Node request handler, which http-handler.ts gives the run's limits. */
  get httpHandler(): typeof HttpHandler {
    return (httpHandler ??= load('@smithy/node-http-handler') as typeof HttpHandler);
  },
  /**
   * The SDK's own SigV4 signer, the copy its clients load: for
   * Organizations, whose client is not a dependency (audit's one call, ListAccounts).
   */
  get signer(): typeof Signer {
    // Through the STS client's own @aws-sdk/core, wherever npm placed them.
    const core = createRequire(load.resolve('@aws-sdk/client-sts')).resolve('@aws-sdk/core');
    return (signer ??= createRequire(core)('@smithy/signature-v4') as typeof Signer);
  },
  /** HttpRequest, the shape the clients' request handlers send. */
  get transport(): typeof Transport {
    return (transport ??= load('@smithy/core/transport') as typeof Transport);
  },
};
