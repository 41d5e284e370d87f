import { formatCount } from './format.js';

/** How far a run's concurrency went: up (finding its own) and down (backing off). */
export function pacingLine(p: { highestConcurrency: number; backoffs: number }): string {
  const backoffs = p.backoffs === 1 ? 'backed off once' : `backed off ${formatCount(p.backoffs)} times`;
  return `concurrency: up to ${p.highestConcurrency} requests in flight, ${backoffs}`;
}
