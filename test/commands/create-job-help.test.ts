// create-job takes its key flags from addKeyOptions, but --skip-key-check (which it refuses:
// Batch needs the key ARN only DescribeKey gives) is not offered in its --help.
import { describe, expect, it } from 'vitest';
import { fakeServices, fakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

describe('create-job --help', () => {
  it('offers the key flags it accepts, not --skip-key-check', async () => {
    const r = await runCli(['create-job', '--help'], fakeServices(fakeWorld()));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--kms-key <key>\s+target KMS key/);
    expect(r.stdout).toContain('--allow-aws-managed-key');
    expect(r.stdout).not.toMatch(/^\s+--skip-key-check\s/m);
    expect(r.stdout).toMatch(/--priority <n>\s+job priority, higher runs first\s+\(default:\s+10\)/);
  });

  it('an option another command offers in its help stays there', async () => {
    const r = await runCli(['encrypt', '--help'], fakeServices(fakeWorld()));
    expect(r.stdout).toMatch(/^\s+--skip-key-check\s/m);
  });
});
