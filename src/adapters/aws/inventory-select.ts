import { StringDecoder } from 'node:string_decoder';
import type { SelectObjectContentEventStream } from '@aws-sdk/client-s3';
import { PreconditionError, S3EncryptError } from '../../core/errors.js';
import { USED_COLUMNS, type ColumnLayout } from '../../core/inventory/columns.js';
import type { RowVisitor, S3Location } from '../../core/inventory/ports.js';
import { InventoryCsvParser } from '../stream/inventory-csv.js';
import type { AwsClients } from './clients.js';
import { errorName, httpStatus, mapAwsError } from './errors.js';
import { sdk } from './sdk.js';

/**
 * The SQL and the parser shape for one layout: S3 Select returns only the used columns, in
 * USED_COLUMNS order, every field quoted, so the same parser (and classifier) reads the result.
 * No WHERE: plan and summary need every row for their counts.
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

const CLOSED =
  'S3 Select is closed to accounts that had not used it before 2024-07-25: drop --engine select (the default local engine reads the same files and gives the same rows)';

/** Read one data file through SelectObjectContent (CSV + GZIP in, quoted CSV out). */
export async function selectScan(
  aws: AwsClients,
  at: S3Location,
  layout: ColumnLayout,
  visitor: RowVisitor,
  signal: AbortSignal,
): Promise<void> {
  const ctx = {
    action: 's3:GetObject',
    bucket: at.bucket,
    key: at.key,
    region: aws.config.region,
    endpoint: aws.config.endpoint,
  };
  const { sql, slotOfField } = selectProjection(layout);
  const parser = new InventoryCsvParser(
    { fieldCount: slotOfField.length, slotOfField, slots: USED_COLUMNS.length },
    at.key,
    visitor.row.bind(visitor),
  );
  const decoder = new StringDecoder('utf8');
  let ended = false;
  try {
    const out = await aws.s3.send(
      new sdk.s3.SelectObjectContentCommand({
        Bucket: at.bucket,
        Key: at.key,
        ExpressionType: 'SQL',
        Expression: sql,
        InputSerialization: {
          CompressionType: 'GZIP',
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
    for await (const event of (out.Payload ?? []) as AsyncIterable<SelectObjectContentEventStream>) {
      if (event.Records?.Payload) {
        parser.push(decoder.write(Buffer.from(event.Records.Payload)));
        const wait = visitor.ready();
        if (wait) await wait;
      } else if (event.End) {
        ended = true;
      }
    }
  } catch (err) {
    if (err instanceof S3EncryptError) throw err;
    throw selectError(err, ctx);
  }
  if (!ended) {
    throw new PreconditionError(
      'SelectIncomplete',
      `S3 Select stopped before the end of ${at.key} (no End event)`,
      'run again, or use the default engine (drop --engine select)',
    );
  }
  parser.push(decoder.end());
  parser.end();
}

function selectError(
  err: unknown,
  ctx: { action: string; bucket: string; key: string; region: string; endpoint?: string | undefined },
): S3EncryptError {
  const name = errorName(err) ?? '';
  const status = httpStatus(err);
  const message = (err as { message?: string }).message ?? '';
  const refused =
    ['MethodNotAllowed', 'NotImplemented', 'UnsupportedOperation', 'InvalidRequest', 'AccessDenied'].includes(
      name,
    ) ||
    status === 405 ||
    status === 501 ||
    /select/i.test(message);
  if (refused) {
    return new PreconditionError(
      'SelectUnavailable',
      `S3 Select refused ${ctx.key} (${name || `HTTP ${status ?? '?'}`}${message && message !== name ? `: ${message.split('\n')[0]}` : ''})`,
      name === 'AccessDenied' || status === 403
        ? `${CLOSED}; or grant s3:GetObject on the inventory data files`
        : CLOSED,
      { cause: err },
    );
  }
  return mapAwsError(err, ctx);
}
