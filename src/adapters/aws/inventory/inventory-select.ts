import type { SelectObjectContentEventStream } from '@aws-sdk/client-s3';
import { S3EncryptError } from '../../../core/errors.js';
import { USED_COLUMNS, type ColumnLayout } from '../../../core/inventory/columns.js';
import type { RowVisitor, S3Location } from '../../../core/inventory/ports.js';
import { InventoryCsvParser } from '../../stream/inventory-csv.js';
import type { AwsClients } from '../transport/clients.js';
import { sdk } from '../transport/sdk.js';
import { cannotRunSelect, selectError } from './select-errors.js';

/**
 * The SQL and the parser shape for one layout: S3 Select returns only the used columns, in
 * USED_COLUMNS order, every field quoted, so the same parser (and classifier) reads the result.
 * No WHERE: plan and summary need every row for their counts.
 *
 * The form is AWS's own (Amazon S3 User Guide, "SELECT command",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-glacier-select-sql-reference-select.html):
 * `FROM table_name alias` with table_name S3Object, and a CSV input without a header read by
 * position, `alias._N` (1-based, in fileSchema order). No local store runs it (see the
 * integration tests select-engine.*.test.ts): moto 5.2's parser projects no scalar column at all
 * (py_partiql_parser's SELECT list takes `*` or whole documents, and a CSV line is split on ','
 * without quote handling), and Ceph RGW 16.2's s3select knows only `from stdin;` in lower case;
 * neither is AWS's SQL, so the engine does not bend to them. @internal
 */
export function selectProjection(layout: ColumnLayout): { sql: string; slotOfField: number[] } {
  const slotOfField: number[] = [];
  const cols: string[] = [];
  USED_COLUMNS.forEach((c, slot) => {
    const idx = layout.names.indexOf(c);
    if (idx < 0) return;
    cols.push(`s._${idx + 1}`);
    slotOfField.push(slot);
  });
  return { sql: `SELECT ${cols.join(', ')} FROM S3Object s`, slotOfField };
}

/**
 * S3 writes every inventory data file GZIP-compressed, as `data/<uuid>.csv.gz` (User Guide,
 * "Locating your inventory list":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-location.html). A
 * file named without `.gz` is an uncompressed copy (as a test writes for a store that cannot
 * inflate GZIP): asking GZIP there would fail, and asking NONE of a .gz file would read bytes. @internal
 */
export function selectCompression(key: string): 'GZIP' | 'NONE' {
  return key.endsWith('.gz') ? 'GZIP' : 'NONE';
}

/** How much of an answer that is not the CSV asked for goes into the message. */
const SHOWN = 160;

/**
 * Read one data file through SelectObjectContent (CSV in, every field quoted CSV out). Every way
 * the endpoint can show it does not run S3 Select ends in the one line of select-errors.ts.
 */
export async function selectScan(
  aws: AwsClients,
  at: S3Location,
  layout: ColumnLayout,
  visitor: RowVisitor,
  signal: AbortSignal,
  /** The data file's size from manifest.json: a non-empty file must give at least one row. */
  fileSize: number,
): Promise<void> {
  const ctx = {
    action: 's3:GetObject',
    bucket: at.bucket,
    key: at.key,
    region: aws.config.region,
    endpoint: aws.config.endpoint,
  };
  const { sql, slotOfField } = selectProjection(layout);
  // The visitor's errors are verdicts on rows (a foreign bucket, a bad key): they pass as they
  // are. The parser's errors are about the answer's shape: this endpoint's, not the delivery's.
  let rowError: unknown;
  let rows = 0;
  const parser = new InventoryCsvParser(
    { fieldCount: slotOfField.length, slotOfField, slots: USED_COLUMNS.length },
    at.key,
    (values, n) => {
      rows += 1;
      try {
        visitor.row(values, n);
      } catch (err) {
        rowError = err;
        throw err;
      }
    },
  );
  // Refuses bytes that are not UTF-8 (never U+FFFD into a key).
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let head = '';
  const read = (bytes: Uint8Array | undefined): void => {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: bytes !== undefined });
    } catch (err) {
      throw cannotRunSelect('its answer is not UTF-8 text', at.key, err);
    }
    if (head.length < SHOWN) head += text.slice(0, SHOWN - head.length);
    try {
      if (bytes === undefined) {
        parser.push(text);
        parser.end();
      } else parser.push(text);
    } catch (err) {
      if (err === rowError || !(err instanceof S3EncryptError)) throw err;
      throw cannotRunSelect(
        `its answer is not the quoted CSV asked for; it begins "${head.replace(/\s+/g, ' ').trim()}"`,
        at.key,
        err,
      );
    }
  };

  let payload: AsyncIterable<SelectObjectContentEventStream>;
  try {
    const out = await aws.s3.send(
      new sdk.s3.SelectObjectContentCommand({
        Bucket: at.bucket,
        Key: at.key,
        ExpressionType: 'SQL',
        Expression: sql,
        InputSerialization: {
          CompressionType: selectCompression(at.key),
          // As S3 Inventory writes its CSV: no header, ',' between fields, every field in '"',
          // '\n' after each row.
          CSV: { FileHeaderInfo: 'NONE', RecordDelimiter: '\n', FieldDelimiter: ',', QuoteCharacter: '"' },
        },
        OutputSerialization: {
          CSV: {
            QuoteFields: 'ALWAYS',
            RecordDelimiter: '\n',
            FieldDelimiter: ',',
            QuoteCharacter: '"',
            QuoteEscapeCharacter: '"',
          },
        },
      }),
      { abortSignal: signal },
    );
    payload = out.Payload ?? emptyStream();
  } catch (err) {
    throw selectError(err, ctx, 'request');
  }

  let ended = false;
  try {
    for await (const event of payload) {
      if (ended) throw cannotRunSelect('its answer goes on after its End event', at.key);
      if (event.Records?.Payload) {
        read(event.Records.Payload);
        const wait = visitor.ready();
        if (wait) await wait;
      } else if (event.End) {
        ended = true;
      }
    }
  } catch (err) {
    if (err instanceof S3EncryptError) throw err;
    throw selectError(err, ctx, 'stream');
  }
  if (!ended) throw cannotRunSelect('its answer ended without the End event', at.key);
  read(undefined);
  // S3 Inventory writes no data file without rows. A store that accepts the SQL and reads
  // nothing (Ceph RGW 16.2 counts 0 rows under this RecordDelimiter) would otherwise give empty
  // manifests: "nothing to do", a verdict nobody proved.
  if (rows === 0 && fileSize > 0) {
    throw cannotRunSelect(`it returned no rows from a data file of ${fileSize} bytes`, at.key);
  }
}

async function* emptyStream(): AsyncGenerator<never> {}
