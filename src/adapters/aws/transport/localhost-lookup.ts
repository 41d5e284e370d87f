import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

type Callback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * DNS lookup that answers `localhost` and every `*.localhost` name with the loopback address, as
 * RFC 6761 §6.3 asks resolvers to (getaddrinfo on many systems does not). Needed for S3 Control
 * at a local endpoint: the SDK's endpoint rules put the account id in front of any custom host
 * (`http://localhost:8080` becomes `http://123456789012.localhost:8080`), and `disableHostPrefix`
 * does not change that. Every other name goes to the system resolver unchanged.
 */
export function localhostLookup(hostname: string, options: LookupOptions, callback: Callback): void {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    const family = options.family === 6 || options.family === 'IPv6' ? 6 : 4;
    const address = family === 6 ? '::1' : '127.0.0.1';
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
    return;
  }
  dnsLookup(hostname, options, callback as never);
}
