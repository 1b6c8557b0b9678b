import { DROP_REASONS, type CleaningReport } from '../data/schema.js';
import type { ImportResult } from '../store/store.js';

const REASON_LABEL: Record<(typeof DROP_REASONS)[number], string> = {
  duplicate: 'duplicate',
  missingField: 'missing field',
  unknownId: 'unknown id',
  badValue: 'bad value',
  unreadableImage: 'unreadable image',
};

/** The cleaning report of an import as lines for a person. */
export function cleaningReportLines(r: CleaningReport, result?: ImportResult): string[] {
  const lines = [
    `source       ${r.source} (format ${r.format})`,
    `rows read    ${r.rowsRead}`,
    `rows kept    ${r.rowsKept}`,
  ];
  for (const reason of DROP_REASONS) {
    const n = r.dropped[reason];
    if (n === 0) continue;
    lines.push(`dropped      ${String(n).padStart(7)}  ${REASON_LABEL[reason]}`);
    for (const ex of r.examples[reason] ?? []) lines.push(`               e.g. ${ex}`);
  }
  lines.push(`catalog      ${r.items} items, ${r.shoppers} shoppers, ${r.events} events, ${r.images} images`);
  if (result) {
    lines.push(
      `store        +${result.itemsAdded} items (${result.itemsUpdated} updated), +${result.shoppersAdded} shoppers (${result.shoppersUpdated} updated), +${result.eventsAdded} events (${result.eventsSkipped} already stored)`,
    );
  }
  return lines;
}
