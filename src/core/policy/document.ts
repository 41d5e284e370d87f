import { z } from 'zod';

/**
 * The IAM policy documents s3-encrypt prints, as zod schemas: the printer validates its own
 * output against them, and the tests validate every document the CLI emits.
 * Action and Resource are always lists here; the Not* forms are not allowed at all (strict objects).
 */
const NonEmptyStrings = z.array(z.string().min(1)).min(1);

const Principal = z.strictObject({
  AWS: NonEmptyStrings.optional(),
  Service: NonEmptyStrings.optional(),
});

/** { Operator: { ConditionKey: [values] } } */
const Condition = z.record(z.string().min(1), z.record(z.string().min(1), NonEmptyStrings));

export const Statement = z.strictObject({
  Sid: z.string().regex(/^[A-Za-z0-9]+$/, 'Sid is alphanumeric'),
  Effect: z.enum(['Allow', 'Deny']),
  Principal: Principal.optional(),
  Action: NonEmptyStrings,
  /** Absent only in a role trust policy. */
  Resource: NonEmptyStrings.optional(),
  Condition: Condition.optional(),
});
export type Statement = z.infer<typeof Statement>;

export const PolicyDocument = z.strictObject({
  Version: z.literal('2012-10-17'),
  Statement: z.array(Statement).min(1),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

export function policy(statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
