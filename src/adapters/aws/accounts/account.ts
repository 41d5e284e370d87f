import type { AccountInfo, CallerIdentity } from '../../../core/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { call, type CallContext } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

/** One GetCallerIdentity per client set, whichever of the two asks first. */
export function accountInfo(aws: AwsClients): AccountInfo & CallerIdentity {
  const ctx: CallContext = {
    action: 'sts:GetCallerIdentity',
    region: aws.config.region,
    endpoint: aws.config.endpoint,
  };
  let cached: Promise<{ account: string; arn: string | undefined }> | undefined;
  const ask = (): Promise<{ account: string; arn: string | undefined }> => {
    cached ??= call(ctx, async () => {
      const out = await aws.sts.send(new sdk.sts.GetCallerIdentityCommand({}));
      if (!out.Account || !/^\d{12}$/.test(out.Account))
        throw new Error(`STS returned an invalid account id: ${out.Account}`);
      return { account: out.Account, arn: out.Arn };
    });
    return cached;
  };
  return {
    async accountId() {
      return (await ask()).account;
    },
    identity() {
      return call(ctx, async () => {
        const { account, arn } = await ask();
        // Only the evidence report needs the ARN: a store that leaves it out fails only there.
        if (arn === undefined || arn === '') throw new Error('STS returned no caller ARN');
        return { account, arn };
      });
    },
  };
}
