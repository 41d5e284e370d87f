import type { KeyDescription } from '../../../core/kms/key.js';
import { regionOfArn } from '../../../core/kms/key.js';
import type { KeyDirectory } from '../../../core/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { call } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

export function keyDirectory(aws: AwsClients): KeyDirectory {
  return {
    async describeKey(ref) {
      const out = await call(
        { action: 'kms:DescribeKey', kmsKey: ref, region: aws.config.region, endpoint: aws.config.endpoint },
        () => aws.kms.send(new sdk.kms.DescribeKeyCommand({ KeyId: ref })),
      );
      const m = out.KeyMetadata;
      if (!m?.Arn || !m.KeyId) throw new Error(`DescribeKey returned no metadata for ${ref}`);
      const description: KeyDescription = {
        arn: m.Arn,
        keyId: m.KeyId,
        state: m.KeyState ?? (m.Enabled ? 'Enabled' : 'Disabled'),
        spec: m.KeySpec ?? m.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
        usage: m.KeyUsage ?? 'ENCRYPT_DECRYPT',
        manager: m.KeyManager ?? 'CUSTOMER',
        region: regionOfArn(m.Arn) ?? aws.config.region,
        multiRegion: m.MultiRegion ?? false,
      };
      return description;
    },
  };
}
