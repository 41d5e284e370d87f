// followJob directly: the watch loop over an injected wait (no timers), where it stops, and an
// interrupt while waiting.
import { describe, expect, it } from 'vitest';
import { followJob, type FollowJobPorts } from '../../../src/core/batch/follow-job.js';
import type { JobInfo } from '../../../src/core/batch/job-status.js';

const unused = (): never => {
  throw new Error('not used');
};

function ports(
  statuses: string[],
  wait: FollowJobPorts['wait'],
): { ports: FollowJobPorts; polls: () => number } {
  let i = 0;
  const describeJob = async (_account: string, jobId: string): Promise<JobInfo> => ({
    jobId,
    status: statuses[Math.min(i++, statuses.length - 1)] as string,
    failureReasons: [],
  });
  return {
    ports: {
      account: { accountId: async () => '111122223333' },
      batchJobs: { createJob: unused, describeJob, bucketVersioning: unused },
      batchFiles: { readText: unused, firstLine: unused, head: unused, csvRows: unused, writeText: unused },
      encryption: { getEncryption: unused, putEncryption: unused },
      md5Hex: unused,
      wait,
    },
    polls: () => i,
  };
}

const input = (watch: boolean, signal = new AbortController().signal) => ({
  jobId: 'job-1',
  watch,
  intervalSeconds: 7,
  signal,
});

describe('followJob', () => {
  it('with --watch polls until the job is Suspended, waiting the interval between polls', async () => {
    const waits: number[] = [];
    const seen: string[] = [];
    const p = ports(['Preparing', 'Active', 'Suspended', 'Active'], async (ms) => {
      waits.push(ms);
      return true;
    });
    const r = await followJob(p.ports, input(true), { polled: (j) => seen.push(j.status) });
    expect(seen).toEqual(['Preparing', 'Active', 'Suspended']);
    expect(waits).toEqual([7000, 7000]);
    // Suspended is not an end: no completion report is read (batchFiles would throw).
    expect(r).toMatchObject({ interrupted: false, succeeded: false, reading: undefined });
  });

  it('without --watch asks once', async () => {
    const p = ports(['Active', 'Complete'], unused);
    const r = await followJob(p.ports, input(false));
    expect(p.polls()).toBe(1);
    expect(r.job.status).toBe('Active');
  });

  it('an interrupt while waiting stops the watch and reports it, reading nothing more', async () => {
    const ac = new AbortController();
    const ended: string[] = [];
    const p = ports(['Active'], async () => {
      ac.abort();
      return false;
    });
    const r = await followJob(p.ports, input(true, ac.signal), { watchEnded: () => ended.push('ended') });
    expect(r).toEqual({ interrupted: true, job: { jobId: 'job-1', status: 'Active', failureReasons: [] } });
    expect(ended).toEqual(['ended']);
    expect(p.polls()).toBe(1);
  });
});
