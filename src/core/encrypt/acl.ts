import type { Grant, ObjectAcl } from './ports.js';

/** The ACL every new object gets by default: its owner with FULL_CONTROL, nothing else. */
export function isDefaultAcl(acl: ObjectAcl): boolean {
  return (
    acl.grants.length === 1 &&
    acl.grants[0]?.type === 'CanonicalUser' &&
    acl.grants[0].permission === 'FULL_CONTROL' &&
    (acl.ownerId === undefined || acl.grants[0].id === acl.ownerId)
  );
}

function grantKey(g: Grant): string {
  return `${g.type}\u0000${g.id}\u0000${g.permission}`;
}

/** Same grants, in any order (display names are not compared: stores fill them differently). */
export function sameGrants(a: Grant[], b: Grant[]): boolean {
  const ka = a.map(grantKey).sort();
  const kb = b.map(grantKey).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** Ownership values that leave ACLs in force. */
export function aclsInForce(ownership: string | undefined): boolean {
  return ownership !== 'BucketOwnerEnforced';
}
