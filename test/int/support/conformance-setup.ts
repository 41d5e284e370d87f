// The integration tiers' conformance check, as the global setup uses it: a conformance proxy in
// front of the tier's server, whose address becomes the tests' target endpoint; at teardown the
// log is written to .local/conformance-<tier>.json, the operations seen are printed, and the run
// fails with every violation (operation, member path, rule) if there is one.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conformanceProxy } from './conformance-proxy.js';
import { seenLines, violationLines } from './conformance-report.js';
import type { Tier } from './target.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Conformance {
  endpoint: string;
  /** Stops the proxy; throws when any request broke the models. */
  finish(): Promise<void>;
}

export async function checkConformance(
  /** Names the log file: the tier, or the tier and the service it fronts (`moto-s3control`). */
  tier: Tier | `${Tier}-s3control`,
  upstream: string,
  log: (msg: string) => void,
): Promise<Conformance> {
  const proxy = await conformanceProxy(upstream);
  log(`conformance proxy ${proxy.endpoint} -> ${upstream}: every request is checked against AWS's models`);
  return {
    endpoint: proxy.endpoint,
    async finish() {
      await proxy.close();
      const file = resolve(ROOT, '.local', `conformance-${tier}.json`);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(proxy.log, null, 2)}\n`);
      const total = Object.values(proxy.log.seen).reduce((a, b) => a + b, 0);
      log(
        `conformance: ${total} requests checked against AWS's models (${file}):\n${seenLines(proxy.log).join('\n')}`,
      );
      if (proxy.log.failedCount > 0) {
        throw new Error(
          `conformance: ${proxy.log.failedCount} of ${total} requests break AWS's service models (botocore):\n${violationLines(proxy.log).join('\n')}`,
        );
      }
    },
  };
}
