import { pass, warn, type Check } from './check.js';
import type { AclGrant, ObjectAcl, ObjectOwnership } from './ports.js';

/** The ACL every object gets by default: one FULL_CONTROL grant to its owner. */
export function isDefaultAcl(acl: ObjectAcl): boolean {
  return acl.grants.every(
    (g) =>
      g.type === 'CanonicalUser' && g.permission === 'FULL_CONTROL' && (!acl.ownerId || g.id === acl.ownerId),
  );
}

function grantee(g: AclGrant): string {
  if (g.uri) return g.uri.replace(/^https?:\/\/acs\.amazonaws\.com\/groups\/(global\/|s3\/)?/, '');
  return g.email ?? (g.id ? `${g.id.slice(0, 12)}...` : g.type);
}

export function describeAcl(acl: ObjectAcl): string {
  return acl.grants
    .filter((g) => !(g.type === 'CanonicalUser' && g.id === acl.ownerId && g.permission === 'FULL_CONTROL'))
    .map((g) => `${grantee(g)} ${g.permission}`)
    .join(', ');
}

export interface AclSample {
  /** Objects whose ACL was read. */
  sampled: number;
  /** Objects picked for the sample (listed); those not read were proved deleted meanwhile. */
  asked: number;
  /** Up to a handful of examples, key and the extra grants. */
  examples: { key: string; grants: string }[];
  nonDefault: number;
}

export function aclCheck(ownership: ObjectOwnership | undefined, sample: AclSample | undefined): Check {
  const id = 'object-acls';
  const title = 'Object ACLs';
  if (ownership === 'BucketOwnerEnforced')
    return pass(
      id,
      title,
      'ACLs are disabled (BucketOwnerEnforced)',
      'nothing to do: copies keep access as it is',
    );
  const mode = ownership ?? 'no ownership controls';
  if (!sample)
    return warn(
      id,
      title,
      `ACLs are enabled (${mode}) and no objects were sampled`,
      'sample with --acl-sample N (or read the inventory ObjectAccessControlList field) before copying',
    );
  if (sample.asked === 0)
    return pass(id, title, `ACLs are enabled (${mode}); the bucket has no objects`, 'nothing to do');
  if (sample.sampled === 0)
    return warn(
      id,
      title,
      `ACLs are enabled (${mode}) and all ${sample.asked} sampled objects were deleted before their ACLs could be read`,
      'run plan again, or read the inventory ObjectAccessControlList field, before copying',
    );
  if (sample.nonDefault === 0)
    return pass(
      id,
      title,
      `ACLs are enabled (${mode}); none of ${sample.sampled} sampled objects has a non-default ACL`,
      'sample more with --acl-sample N if the bucket is large; copies reset ACLs to private',
    );
  const eg = sample.examples.map((e) => `${JSON.stringify(e.key)}: ${e.grants}`).join('; ');
  return warn(
    id,
    title,
    `ACLs are enabled (${mode}); ${sample.nonDefault} of ${sample.sampled} sampled objects carry non-default ACLs (${eg})`,
    "copies reset ACLs to private: 's3-encrypt encrypt' restores them, a Batch copy job does not; UpdateObjectEncryption keeps them",
  );
}
