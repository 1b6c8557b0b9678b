import { fail } from '../../core/errors.js';
import type { ColumnMapping } from './importer.js';

const FIELDS = ['user', 'item', 'ts', 'type', 'value', 'price', 'session'] as const;

/**
 * Parses a CLI column mapping `user=customer,item=sku,ts=time` (fields: user,
 * item, ts, type, value, price, session; user and item are required).
 * INVALID_ARGUMENT on an unknown field, a repeated field or a missing one.
 */
export function parseMapping(s: string): ColumnMapping {
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {};
  const hint = `write it as field=column pairs, e.g. user=customer,item=sku,ts=time; fields: ${FIELDS.join(', ')}`;
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const field = eq < 0 ? part : part.slice(0, eq).trim();
    const column = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!(FIELDS as readonly string[]).includes(field)) fail('INVALID_ARGUMENT', `unknown mapping field "${field}"`, { hint });
    if (column === '') fail('INVALID_ARGUMENT', `mapping field "${field}" names no column`, { hint });
    const key = field as (typeof FIELDS)[number];
    if (out[key] !== undefined) fail('INVALID_ARGUMENT', `mapping field "${field}" given twice`, { hint });
    out[key] = column;
  }
  if (out.user === undefined || out.item === undefined) {
    fail('INVALID_ARGUMENT', `the mapping must name the user and item columns`, { hint });
  }
  return { ...out, user: out.user, item: out.item };
}

/** The source columns a mapping names, in field order. */
export function mappedColumns(m: ColumnMapping): string[] {
  return FIELDS.flatMap((f) => (m[f] === undefined ? [] : [m[f]]));
}
