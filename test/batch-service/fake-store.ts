// A store for the local Batch service's unit tests: the S3 commands a job sends, answered from a
// map of objects, with every command recorded. No network.
import type { S3Client } from '@aws-sdk/client-s3';

export interface FakeObject {
  body: string;
  etag: string;
  sse?: string;
}

export function fakeStore(
  objects: Record<string, FakeObject>,
  copyError?: (key: string) => Error | undefined,
) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const notFound = (code: string) =>
    Object.assign(new Error(code), { name: code, $metadata: { httpStatusCode: 404 } });
  const client = {
    send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = cmd.constructor.name.replace(/Command$/, '');
      sent.push({ name, input: cmd.input });
      const path = `${String(cmd.input.Bucket)}/${String(cmd.input.Key)}`;
      if (name === 'GetObject') {
        const o = objects[path];
        if (!o) throw notFound('NoSuchKey');
        return {
          Body: { transformToString: async () => o.body },
          ETag: `"${o.etag}"`,
          ServerSideEncryption: o.sse,
        };
      }
      if (name === 'CopyObject') {
        const err = copyError?.(String(cmd.input.Key));
        if (err) throw err;
        return { CopyObjectResult: { ETag: '"x"' } };
      }
      if (name === 'PutObject') {
        objects[path] = {
          body: String(cmd.input.Body),
          etag: 'put',
          sse: cmd.input.ServerSideEncryption as string,
        };
        return { ETag: '"put"' };
      }
      throw new Error(`fake store: ${name} not answered`);
    },
  };
  return { client: client as unknown as S3Client, sent, objects };
}
