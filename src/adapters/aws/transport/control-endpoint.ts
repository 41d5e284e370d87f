import { isIP } from 'node:net';
import { ServiceError, UsageError, type S3EncryptError } from '../../../core/errors.js';
import { withoutUserinfo } from '../../../core/format.js';

/** Where the SDK reads S3 Control's own endpoint from (it does not say which one it used). */
const SETTING = "AWS_ENDPOINT_URL_S3_CONTROL (or AWS_ENDPOINT_URL, or the profile's services section)";

/**
 * S3 Control's own endpoint, as the SDK read it from its settings, checked before the first
 * request (and, in create-job, before the first upload): the SDK sends it on as given, so a value
 * that is not an http(s) URL fails as "TypeError: Invalid URL" (a retry that never helps), and its
 * endpoint rules put the account id in front of the host (`123456789012.127.0.0.1` is no host), so
 * an IP address can never work: a name such as localhost can (localhost-lookup.ts).
 */
export function checkControlEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    url = new URL('invalid:');
  }
  const shown = withoutUserinfo(endpoint);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(
      `the S3 Control endpoint "${shown}" is not an http(s) URL`,
      `set ${SETTING} to one such as https://s3-control.us-east-1.amazonaws.com, or unset it to use AWS's`,
      'BadControlEndpoint',
    );
  }
  // Messages show this URL: a password in it would be printed and logged.
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(
      `the S3 Control endpoint "${shown}" carries a user name or password`,
      `drop the user:password@ part from ${SETTING} (requests are signed with your AWS credentials), and change that password if it was a real one`,
      'BadControlEndpoint',
    );
  }
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
    throw new UsageError(
      `the S3 Control endpoint ${shown} names its host by IP address, but S3 Control puts the account id in front of the host (ACCOUNT.${url.hostname})`,
      `name the host in ${SETTING}, e.g. ${url.protocol}//localhost${url.port ? `:${url.port}` : ''} for this machine`,
      'BadControlEndpoint',
    );
  }
}

/**
 * An S3 Control call's failure that is about where it went: the general mapping's fix names
 * --endpoint-url (the S3 store's), but these requests went to S3 Control's own endpoint.
 */
export function controlEndpointError(mapped: S3EncryptError, endpoint: string | undefined): S3EncryptError {
  if (endpoint === undefined) return mapped;
  const fix = `check ${SETTING}: ${withoutUserinfo(endpoint)} must be an S3 Control endpoint that is up`;
  const opts = { cause: mapped.cause ?? mapped };
  switch (mapped.code) {
    case 'Unreachable':
    case 'UnreadableAnswer':
      return new ServiceError(mapped.code, mapped.message, fix, opts);
    case 'EndpointNotTls':
    case 'EndpointNotHttp':
      return new UsageError(mapped.message, fix, mapped.code, opts);
    default:
      return mapped;
  }
}
