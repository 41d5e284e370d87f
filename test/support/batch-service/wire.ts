// The S3 Control REST-XML wire format, read and written with the SDK's own schema serde
// (@aws-sdk/core's XmlShapeDeserializer / XmlShapeSerializer over client-s3-control's shapes), so
// a request body becomes exactly the SDK's input shape and an answer is what the SDK parses.
import {
  CreateJobRequest$,
  CreateJobResult$,
  DescribeJobResult$,
  ListJobsResult$,
  UpdateJobStatusResult$,
} from '@aws-sdk/client-s3-control';
import { XmlShapeDeserializer, XmlShapeSerializer } from '@aws-sdk/core/protocols';

const NS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
const SETTINGS = {
  timestampFormat: { useTrait: true, default: 5 as const },
  httpBindings: true,
  xmlNamespace: NS,
};

export const shapes = {
  CreateJobResult: CreateJobResult$,
  DescribeJobResult: DescribeJobResult$,
  ListJobsResult: ListJobsResult$,
  UpdateJobStatusResult: UpdateJobStatusResult$,
};

/** The CreateJob body as the SDK's CreateJobRequest (without the header-bound AccountId). */
export function readCreateJob(body: Buffer): Record<string, unknown> {
  const d = new XmlShapeDeserializer(SETTINGS as never);
  return d.read(CreateJobRequest$ as never, body.toString('utf8')) as Record<string, unknown>;
}

export function writeShape(shape: (typeof shapes)[keyof typeof shapes], value: unknown): string {
  const s = new XmlShapeSerializer(SETTINGS as never);
  s.write(shape as never, value);
  const xml = String(s.flush());
  return xml.startsWith('<?xml') ? xml : `<?xml version="1.0" encoding="UTF-8"?>${xml}`;
}

function esc(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** S3 Control's error body (an S3-style <Error> in an <ErrorResponse>, as the SDK reads it). */
export function errorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<ErrorResponse><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error>` +
    `<RequestId>${esc(requestId)}</RequestId><HostId>${esc(requestId)}</HostId></ErrorResponse>`
  );
}
