import { z } from 'zod';

/**
 * The one error document: with --json, every command that fails prints it on stdout (its last
 * line, after any records), as src/program.ts's one handler writes it; stderr then carries the
 * same error as one human line.
 */
export const ErrorDocument = z
  .strictObject({
    error: z
      .strictObject({
        code: z
          .string()
          .min(1)
          .describe(
            'stable error code (S3EncryptError codes such as AccessDenied, NoSuchBucket, Usage, ConflictingOptions, Interrupted; Unexpected for a fault the tool did not foresee)',
          ),
        message: z.string().describe('the problem, in one line'),
        hint: z
          .string()
          .nullable()
          .describe('what to do about it, in one line; null when there is no advice'),
        exitCode: z
          .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(130)])
          .describe(
            'the exit code the command ends with: 2 usage, 3 precondition refused, 4 service error, 130 interrupted',
          ),
      })
      .describe('the error the command stopped with'),
  })
  .describe('The error a command stopped with (any command, with --json).');
export type ErrorDocument = z.infer<typeof ErrorDocument>;
