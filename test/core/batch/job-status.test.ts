import { describe, expect, it } from 'vitest';
import { jobSucceeded, type JobInfo } from '../../../src/core/batch/job-status.js';

const job = (over: Partial<JobInfo>): JobInfo => ({
  jobId: 'j',
  status: 'Complete',
  failureReasons: [],
  ...over,
});

describe('jobSucceeded', () => {
  it('is a success only when the counters prove every task succeeded', () => {
    expect(jobSucceeded(job({ total: 3, succeeded: 3, failed: 0 }))).toBe(true);
    expect(jobSucceeded(job({ total: 3, succeeded: 2, failed: 1 }))).toBe(false);
    expect(jobSucceeded(job({ status: 'Failed', total: 3, succeeded: 3, failed: 0 }))).toBe(false);
  });

  it('does not read a missing or inconsistent counter as zero failures', () => {
    expect(jobSucceeded(job({ total: 3, succeeded: 3 }))).toBe(false);
    expect(jobSucceeded(job({ succeeded: 3, failed: 0 }))).toBe(false);
    expect(jobSucceeded(job({ total: 3, succeeded: 2, failed: 0 }))).toBe(false);
    expect(jobSucceeded(job({}))).toBe(false);
  });
});
