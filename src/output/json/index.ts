import type { z } from 'zod';
import { AuditRecord, AuditSummary } from './audit.js';
import { ManifestSummaryJson } from './build-manifest.js';
import { CreateJobDryRun, CreateJobNothingToDo, CreateJobRecord } from './create-job.js';
import { EnableSseOutput } from './enable-sse.js';
import { EncryptRecord, EncryptSummary } from './encrypt.js';
import { ErrorDocument } from './error.js';
import { PlanDocument } from './plan.js';
import { PolicyOutput } from './policy.js';
import { SetupInventoryOutput } from './setup-inventory.js';
import { StatusOutput } from './status.js';
import { VerifyRecord, VerifySummary } from './verify.js';

/**
 * Every document and JSON line the CLI writes on stdout with --json, by a stable name: the name
 * of its published JSON Schema (docs/json/<name>.schema.json, `npm run json-schemas`).
 */
export interface JsonDocument {
  name: string;
  title: string;
  schema: z.ZodType;
  /** The command that writes it. */
  command: string;
  /** When, in words (docs/json/README.md quotes it). */
  writtenWhen: string;
}

export const JSON_DOCUMENTS = [
  {
    name: 'error',
    title: 'error',
    schema: ErrorDocument,
    command: '(any)',
    writtenWhen: 'a command fails: the last line on stdout, after any records',
  },
  {
    name: 'verify-record',
    title: 'verify: one object',
    schema: VerifyRecord,
    command: 'verify',
    writtenWhen: 'one JSON line per offender or unverified object',
  },
  {
    name: 'verify-summary',
    title: 'verify: summary',
    schema: VerifySummary,
    command: 'verify',
    writtenWhen: 'the last JSON line of a run (`{"summary":{...}}`)',
  },
  {
    name: 'encrypt-record',
    title: 'encrypt: one object',
    schema: EncryptRecord,
    command: 'encrypt',
    writtenWhen: 'one JSON line per object the run reached (the same lines as --report FILE)',
  },
  {
    name: 'encrypt-summary',
    title: 'encrypt: summary',
    schema: EncryptSummary,
    command: 'encrypt',
    writtenWhen: 'the last JSON line of a run (`{"summary":{...}}`)',
  },
  {
    name: 'plan',
    title: 'plan',
    schema: PlanDocument,
    command: 'plan',
    writtenWhen: 'one document',
  },
  {
    name: 'policy',
    title: 'policy',
    schema: PolicyOutput,
    command: 'policy',
    writtenWhen: 'one document (--format json or terraform)',
  },
  {
    name: 'enable-sse',
    title: 'enable-sse',
    schema: EnableSseOutput,
    command: 'enable-sse',
    writtenWhen: 'one document',
  },
  {
    name: 'setup-inventory',
    title: 'setup-inventory',
    schema: SetupInventoryOutput,
    command: 'setup-inventory',
    writtenWhen: 'one document',
  },
  {
    name: 'build-manifest-summary',
    title: 'build-manifest: summary.json',
    schema: ManifestSummaryJson,
    command: 'build-manifest',
    writtenWhen: 'one document: the summary.json written (or, with --dry-run, that would be)',
  },
  {
    name: 'create-job-dry-run',
    title: 'create-job: dry run',
    schema: CreateJobDryRun,
    command: 'create-job',
    writtenWhen: 'with --dry-run, when there are jobs to make: one document with the exact requests',
  },
  {
    name: 'create-job-nothing-to-do',
    title: 'create-job: nothing to do',
    schema: CreateJobNothingToDo,
    command: 'create-job',
    writtenWhen: 'one document, when no manifest needs a Batch job',
  },
  {
    name: 'create-job-record',
    title: 'create-job: one job',
    schema: CreateJobRecord,
    command: 'create-job',
    writtenWhen: 'one JSON line per job created (or returned again for the same token)',
  },
  {
    name: 'status',
    title: 'status',
    schema: StatusOutput,
    command: 'status',
    writtenWhen:
      'one document (with --watch, once it stops watching: the job has ended, or Ctrl-C, exit 130)',
  },
  {
    name: 'audit-record',
    title: 'audit: one bucket or account',
    schema: AuditRecord,
    command: 'audit',
    writtenWhen:
      'one JSON line per bucket (`"type":"bucket"`) and per account it could not enter (`"type":"account"`)',
  },
  {
    name: 'audit-summary',
    title: 'audit: summary',
    schema: AuditSummary,
    command: 'audit',
    writtenWhen: 'the last JSON line (`"type":"summary"`)',
  },
] as const satisfies readonly JsonDocument[];
