# The build-manifest predicate for the benchmark's ten-field inventory, as a mawk program:
#   zcat data.csv.gz | mawk -F'","' -v out=DIR -f filter.awk
# Fields (split on ","): 1 "Bucket 2 Key 3 VersionId 4 IsLatest 5 IsDeleteMarker 6 Size
# 7 LastModifiedDate 8 StorageClass 9 EncryptionStatus 10 BucketKeyStatus"
# Keys in the benchmark use only [a-z0-9/._-] and '+' for a space, so re-encoding for Batch is
# one substitution; the real tool decodes and re-encodes every key.
{
  if ($5 == "true" || $4 != "true") next
  b = substr($1, 2)
  k = $2
  gsub(/\+/, "%20", k)
  st = $9
  if (st == "NOT-SSE") {
    if ($8 == "GLACIER" || $8 == "DEEP_ARCHIVE") print b "," k > (out "/archived.csv")
    else if ($6 + 0 > 5368709120) print b "," k > (out "/large.csv")
    else print b "," k > (out "/copy-" $8 ".csv")
  } else if (st == "SSE-S3" || (st == "SSE-KMS" && substr($10, 1, length($10) - 1) != "ENABLED")) {
    print b "," k "," ($3 == "" ? "null" : $3) > (out "/update-encryption.csv")
  }
}
