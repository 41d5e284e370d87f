import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { accountInfo } from '../../../../src/adapters/aws/accounts/account.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { S3EncryptError } from '../../../../src/core/errors.js';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());
const info = () => accountInfo(makeClients({ region: 'eu-west-1' }));

describe('accountInfo (STS GetCallerIdentity)', () => {
  it('one call answers both the account id and the caller', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/Auditor/alice' });
    const a = info();
    expect(await a.accountId()).toBe('111122223333');
    expect(await a.identity()).toEqual({
      account: '111122223333',
      arn: 'arn:aws:sts::111122223333:assumed-role/Auditor/alice',
    });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('an answer without the caller ARN fails identity() only, as one of our errors', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });
    const a = info();
    expect(await a.accountId()).toBe('111122223333');
    const err = await a.identity().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3EncryptError);
    expect((err as Error).message).toContain('STS returned no caller ARN');
  });
});
