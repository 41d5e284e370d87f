import type { KeyAudit } from '../../../core/plan/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { call } from '../transport/errors.js';
import { sdk } from '../transport/sdk.js';

/** Read-only key facts for plan; the client must be in the key's own region. */
export function keyAudit(aws: AwsClients): KeyAudit {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  return {
    async rotationEnabled(keyArn) {
      const out = await call({ ...base, action: 'kms:GetKeyRotationStatus', kmsKey: keyArn }, () =>
        aws.kms.send(new sdk.kms.GetKeyRotationStatusCommand({ KeyId: keyArn })),
      );
      return out.KeyRotationEnabled === true;
    },
    async keyPolicy(keyArn) {
      const out = await call({ ...base, action: 'kms:GetKeyPolicy', kmsKey: keyArn }, () =>
        // 'default' is the only key policy name KMS has ever supported.
        aws.kms.send(new sdk.kms.GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })),
      );
      return out.Policy ?? '{}';
    },
  };
}
