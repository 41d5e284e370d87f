// status --watch on a terminal: the job's tasks as a bar with percent, the job's rate and an ETA.
import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/core/batch/job-status.js';
import { progressView } from '../../src/output/status-render.js';
import { renderProgress } from '../../src/output/progress.js';

const created = new Date('2026-05-03T10:00:00Z');
const job = (o: Partial<JobInfo>): JobInfo => ({
  jobId: 'j-1',
  status: 'Active',
  creationTime: created,
  failureReasons: [],
  ...o,
});
const at = (seconds: number) => created.getTime() + seconds * 1000;

describe('status progress view', () => {
  it('an active job: done of total, percent, rate and ETA from its own elapsed time', () => {
    const line = renderProgress(progressView(job({ total: 1000, succeeded: 240, failed: 10 }), at(100)), 120);
    expect(line).toMatch(/^\[#+-+\]\s+25% {2}250\/1,000 tasks/);
    expect(line.endsWith('  250/1,000 tasks  2.5/s  ETA 5m00s  Active  10 failed  elapsed 1m40s')).toBe(true);
  });

  it('a job that has not counted its tasks yet (total 0) shows no total, no percent', () => {
    const line = renderProgress(progressView(job({ status: 'Preparing', total: 0 }), at(5)), 120);
    expect(line).not.toContain('%');
    expect(line).toContain('0 tasks');
  });

  it('no ETA once the job stopped being active', () => {
    const line = renderProgress(
      progressView(job({ status: 'Suspended', total: 1000, succeeded: 10, failed: 0 }), at(100)),
      120,
    );
    expect(line).toContain('10/1,000 tasks');
    expect(line).not.toContain('ETA');
  });
});
