import type { CostEstimate } from './estimate.js';
import { countText, priceText, usdText } from './units.js';

function quantityText(n: number): string {
  return Number.isInteger(n) ? countText(n) : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** The cost estimate as table rows (first row is the header) for the human rendering. */
export function costRows(e: CostEstimate): string[][] {
  const rows = [['item', 'quantity', 'unit price', 'cost', 'price']];
  for (const l of e.lines) {
    rows.push([
      l.inTotal ? l.item : `(${l.item})`,
      quantityText(l.quantity),
      `${priceText(l.unitUsd)} / ${l.per === 1 ? '' : `${countText(l.per)} `}${l.unit}`,
      usdText(l.usd),
      l.priceStatus,
    ]);
  }
  rows.push([e.partial ? 'total (partial count: at least)' : 'total', '', '', usdText(e.totalUsd), '']);
  return rows;
}
