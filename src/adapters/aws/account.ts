import type { AccountInfo } from '../../core/ports.js';
import type { AwsClients } from './clients.js';
import { call } from './errors.js';
import { sdk } from './sdk.js';

export function accountInfo(aws: AwsClients): AccountInfo {
  let cached: Promise<string> | undefined;
  return {
    accountId() {
      cached ??= call(
        { action: 'sts:GetCallerIdentity', region: aws.config.region, endpoint: aws.config.endpoint },
        async () => {
          const out = await aws.sts.send(new sdk.sts.GetCallerIdentityCommand({}));
          if (!out.Account || !/^\d{12}$/.test(out.Account))
            throw new Error(`STS returned an invalid account id: ${out.Account}`);
          return out.Account;
        },
      );
      return cached;
    },
  };
}
