/**
 * Key encodings. Inventory CSV keys are form-encoded (space as `+`, a literal `+` as `%2B`);
 * Batch Operations CSV manifests want plain percent-encoding. A key is always decoded and
 * re-encoded, never passed through: Batch may not read `+` as a space.
 */

const PLAIN = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/** Inventory CSV key -> object key. Throws URIError on malformed percent-encoding. @internal */
export function decodeInventoryKey(encoded: string): string {
  if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) return encoded;
  return decodeURIComponent(encoded.replace(PLUS, ' '));
}

/** Object key -> Batch Operations CSV manifest key (`/` kept literal, as in the AWS examples). */
export function encodeManifestKey(key: string): string {
  // Most keys need no escaping; skipping encodeURIComponent for them keeps the hot path cheap.
  if (PLAIN.test(key)) return key;
  return encodeURIComponent(key).replace(/%2F/g, '/');
}

/** Batch CSV manifest key -> object key (for reading manifests back). */
export function decodeManifestKey(encoded: string): string {
  return decodeURIComponent(encoded);
}

/**
 * Inventory CSV key -> Batch manifest key. A key made only of characters neither encoding
 * escapes is the same in all three forms (the common case, kept cheap); anything else is
 * decoded and re-encoded. @internal
 */
export function inventoryToManifestKey(encoded: string): string {
  if (PLAIN_OR_PLUS.test(encoded)) return encoded.indexOf('+') < 0 ? encoded : encoded.replace(PLUS, '%20');
  return encodeManifestKey(decodeInventoryKey(encoded));
}

/** The object key of an inventory row's key field: Parquet keys are plain, CSV keys form-encoded. */
export function objectKeyOf(row: { encodedKey: string; plainKey?: boolean | undefined }): string {
  return row.plainKey ? row.encodedKey : decodeInventoryKey(row.encodedKey);
}

/**
 * The Batch manifest key of an inventory row's key field. Both paths give the same bytes for
 * the same object, so a Parquet delivery and its CSV twin write identical manifests.
 */
export function manifestKeyOf(row: { encodedKey: string; plainKey?: boolean | undefined }): string {
  return row.plainKey ? encodeManifestKey(row.encodedKey) : inventoryToManifestKey(row.encodedKey);
}

/** PLAIN plus '+', which is an encoded space: the other common shape, no decoding needed. */
const PLAIN_OR_PLUS = /^[A-Za-z0-9\-_.!~*'()/+]*$/;
const PLUS = /\+/g;

/** The characters encodeURIComponent leaves as they are. */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/**
 * A version id for a Batch manifest: encodeURIComponent, skipped for ids it would not change
 * (S3's are mostly letters and digits). It was a tenth of build-manifest's main-thread time.
 */
export function encodeVersionId(versionId: string): string {
  return UNRESERVED.test(versionId) ? versionId : encodeURIComponent(versionId);
}
