"""Write S3 Inventory data files in S3's exact Parquet schema (tests only).

Usage: python write-inventory-parquet.py SPEC.json
SPEC: {"fields": ["bucket", "key", ...],          # snake_case column names, in file order
       "key_hex": false,                           # true: keys are hex, written as BINARY
       "compression": "snappy" | "gzip" | ...,
       "row_group_size": int,                      # rows per row group
       "files": [{"path": "...", "rows": [[v, ...], ...]}]}
   or, for a large file, {"fields": ..., "compression": ..., "row_group_size": ...,
       "synthetic": {"path": "...", "bucket": "b", "rows": N}}
Values arrive as the CSV delivery would write them (strings, '' for none) and are typed here
as S3 types them: booleans, int64 size, TIMESTAMP(MILLIS, UTC) dates, UTF-8 strings; '' in an
optional column is null.
"""
import datetime
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

BOOLEAN = {"is_latest", "is_delete_marker", "is_multipart_uploaded"}
INT64 = {"size"}
TIMESTAMP = {"last_modified_date", "object_lock_retain_until_date", "lifecycle_expiration_date"}
REQUIRED = {"bucket", "key"}


def arrow_type(name, raw_keys=False):
    if name == "key" and raw_keys:
        return pa.binary()
    if name in BOOLEAN:
        return pa.bool_()
    if name in INT64:
        return pa.int64()
    if name in TIMESTAMP:
        return pa.timestamp("ms", tz="UTC")
    return pa.string()


def schema(fields, raw_keys=False):
    return pa.schema([pa.field(f, arrow_type(f, raw_keys), nullable=f not in REQUIRED) for f in fields])


def typed(name, v):
    if name in REQUIRED:
        return v
    if v is None or v == "":
        return None
    if name in BOOLEAN:
        return v.lower() == "true"
    if name in INT64:
        return int(v)
    if name in TIMESTAMP:
        return datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
    return v


def write(path, fields, columns, compression, row_group_size, raw_keys=False):
    table = pa.table(columns, schema=schema(fields, raw_keys))
    pq.write_table(
        table,
        path,
        compression=compression,
        row_group_size=row_group_size,
        # S3's files carry no page index or statistics the reader needs; keep them plain.
        write_statistics=True,
    )


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    fields = spec["fields"]
    compression = spec.get("compression", "snappy")
    rgs = spec.get("row_group_size", 1024 * 1024)
    if "synthetic" in spec:
        syn = spec["synthetic"]
        n = syn["rows"]
        writer = pq.ParquetWriter(syn["path"], schema(fields), compression=compression)
        step = min(rgs, n) or 1
        classes = ["NOT-SSE", "SSE-S3", "SSE-KMS", "SSE-KMS"]
        for start in range(0, n, step):
            idx = range(start, min(n, start + step))
            cols = {
                "bucket": [syn["bucket"]] * len(idx),
                "key": ["data/dir %d/object-%09d.bin" % (i % 1000, i) for i in idx],
                "version_id": ["v%016x" % i for i in idx],
                "is_latest": [i % 7 != 0 for i in idx],
                "is_delete_marker": [False] * len(idx),
                "size": [i % 100000 for i in idx],
                "last_modified_date": [datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)] * len(idx),
                "e_tag": ["d41d8cd98f00b204e9800998ecf8427e"] * len(idx),
                "storage_class": ["STANDARD"] * len(idx),
                "encryption_status": [classes[i % 4] for i in idx],
                "intelligent_tiering_access_tier": [None] * len(idx),
                "bucket_key_status": ["ENABLED" if i % 8 == 2 else "DISABLED" for i in idx],
            }
            writer.write_table(
                pa.table({f: cols[f] for f in fields}, schema=schema(fields)), row_group_size=step
            )
        writer.close()
        return
    # "key_hex": keys given as hex bytes, written as a BINARY column (bytes that may not be UTF-8).
    raw_keys = spec.get("key_hex", False)
    for file in spec["files"]:
        rows = file["rows"]
        columns = {f: [typed(f, r[i]) for r in rows] for i, f in enumerate(fields)}
        if raw_keys:
            columns["key"] = [bytes.fromhex(k) for k in columns["key"]]
        write(file["path"], fields, columns, compression, rgs, raw_keys)


if __name__ == "__main__":
    main()
