/** Formatting for figures that appear inside check lines and the cost table (core cannot use src/output). */

/** S3 bills storage per GB-month with GB = 2^30 bytes. */
export const GIB = 1024 ** 3;

export { formatBytes as bytesText, formatCount as countText } from '../format.js';

/** Dollars: cents for real amounts, "<$0.01" for dust, so a table never shows $0.00 for a cost. */
export function usdText(n: number): string {
  if (n === 0) return '$0.00';
  if (n < 0.01) return '<$0.01';
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A unit price: as many decimals as it needs ($0.005, $0.0025, $0.25). */
export function priceText(usd: number): string {
  return `$${usd.toLocaleString('en-US', { maximumFractionDigits: 6 })}`;
}

/** Round to micro-dollars for JSON: stable figures without float noise. */
export function roundUsd(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
