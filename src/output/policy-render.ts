/**
 * policy's words: the documents as JSON (one bare document, or each under a "# name: where"
 * heading), or as Terraform data sources. --json gets them with the target they name.
 */
import type { MigrationPolicies } from '../core/policy/migration-policies.js';
import { toTerraform } from '../core/policy/terraform.js';
import type { Output } from './output.js';

export type PolicyFormat = 'json' | 'terraform';

export function renderPolicies(
  out: Output,
  { target, documents }: MigrationPolicies,
  format: PolicyFormat,
): void {
  const common = {
    bucket: target.bucket,
    region: target.region,
    accountId: target.accountId,
    kmsKey: target.keyArn,
    roleArn: `arn:${target.keyArn.split(':')[1]}:iam::${target.accountId}:role/${target.roleName}`,
    format,
  };
  if (format === 'terraform') {
    const hcl = toTerraform(documents);
    out.result(
      { ...common, documents: documents.map(({ name, attachTo }) => ({ name, attachTo })), terraform: hcl },
      hcl.trimEnd(),
    );
    return;
  }
  // One document alone is bare JSON, so it can be piped to a file.
  const text =
    documents.length === 1
      ? JSON.stringify(documents[0]?.policy, null, 2)
      : documents.map((d) => `# ${d.name}: ${d.attachTo}\n${JSON.stringify(d.policy, null, 2)}`).join('\n\n');
  out.result({ ...common, documents }, text);
}
