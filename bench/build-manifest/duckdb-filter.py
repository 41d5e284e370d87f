# The build-manifest predicate as one DuckDB query (the DuckDB side of run.mjs):
#   .local/duckdb-venv/bin/python bench/build-manifest/duckdb-filter.py OUT_DIR DATA.csv.gz [...]
# read_csv of the gzipped inventory files (every field quoted, no header), the same filter as
# filter.awk and the CLI's copy / update-encryption / large / archived manifests, and one
# COPY ... TO per run: PARTITION_BY writes OUT_DIR/name=<manifest>/data_*.csv, one line per row.
# Keys are re-encoded with one substitution ('+' -> '%20'), as filter.awk does: the benchmark's
# keys use no other escapes.
import sys

import duckdb

out, files = sys.argv[1], sys.argv[2:]
cols = {
    'bucket': 'VARCHAR', 'key': 'VARCHAR', 'vid': 'VARCHAR', 'latest': 'VARCHAR',
    'dm': 'VARCHAR', 'size': 'VARCHAR', 'modified': 'VARCHAR', 'cls': 'VARCHAR',
    'st': 'VARCHAR', 'bks': 'VARCHAR',
}
con = duckdb.connect()
con.execute(f"""
COPY (
  SELECT
    CASE WHEN st = 'NOT-SSE' THEN
      CASE WHEN cls IN ('GLACIER', 'DEEP_ARCHIVE') THEN 'archived'
           WHEN TRY_CAST(size AS BIGINT) > 5368709120 THEN 'large'
           ELSE 'copy-' || coalesce(cls, 'STANDARD') END
    ELSE 'update-encryption' END AS name,
    CASE WHEN st = 'NOT-SSE' THEN bucket || ',' || replace(key, '+', '%20')
    ELSE bucket || ',' || replace(key, '+', '%20') || ',' || coalesce(vid, 'null') END AS line
  FROM read_csv($files, header = false, auto_detect = false, delim = ',', quote = '"',
                escape = '"', compression = 'gzip', columns = $cols)
  WHERE latest = 'true' AND dm <> 'true'
    AND (st IN ('NOT-SSE', 'SSE-S3') OR (st = 'SSE-KMS' AND coalesce(bks, '') <> 'ENABLED'))
) TO '{out}' (FORMAT csv, HEADER false, DELIMITER '\t', QUOTE '', PARTITION_BY (name),
              OVERWRITE_OR_IGNORE true)
""", {'files': files, 'cols': cols})
