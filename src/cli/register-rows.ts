import { usageError } from './errors.js';
import type { CsvRecord } from './csv.js';

/**
 * The column mapping of a register import: which CSV column fills which field of RegisterCarrier.
 * Headers are matched without regard to case, spaces, dashes or underscores, so "Copy number",
 * "copy_number" and "copyNumber" are the same column. Unknown columns are refused rather than
 * ignored: a column a clerk thought was imported and was not would be a silent loss.
 */
export const REGISTER_COLUMNS = [
  { field: 'carrierId', names: ['number', 'carrierid', 'carrier', 'no'] },
  { field: 'description.title', names: ['title'] },
  { field: 'description.classification', names: ['classification'] },
  { field: 'description.kind', names: ['kind'] },
  { field: 'description.originator', names: ['originator'] },
  { field: 'description.reference', names: ['reference'] },
  { field: 'description.copyNumber', names: ['copynumber', 'copy'] },
  { field: 'description.itemCount', names: ['items', 'itemcount'] },
  { field: 'holder', names: ['holder'] },
  { field: 'location', names: ['location'] },
] as const;

type Column = (typeof REGISTER_COLUMNS)[number];
const NUMBER_FIELDS: ReadonlySet<string> = new Set(['description.copyNumber', 'description.itemCount']);

const normalise = (header: string): string => header.trim().toLowerCase().replace(/[\s_-]+/g, '');

/** `misshapen`: the line has more or fewer fields than the header (a stray comma, a lost quote). */
export type RegisterRow = { line: number; carrierId: string; data: Record<string, unknown>; misshapen?: string };

/** Which column index holds which field, from the header record. */
export function columnsOf(header: CsvRecord): Array<Column | undefined> {
  const seen = new Set<string>();
  const columns = header.fields.map((name) => {
    const column = REGISTER_COLUMNS.find((c) => (c.names as readonly string[]).includes(normalise(name)));
    if (column === undefined) {
      throw usageError(`line ${header.line}: unknown column ${JSON.stringify(name)}; the columns are ${REGISTER_COLUMNS.map((c) => c.names[0]).join(', ')}`);
    }
    if (seen.has(column.field)) throw usageError(`line ${header.line}: column ${JSON.stringify(name)} appears twice`);
    seen.add(column.field);
    return column;
  });
  if (!seen.has('carrierId')) throw usageError(`line ${header.line}: the register has no "number" column (the carrier's id)`);
  return columns;
}

/**
 * One register line as RegisterCarrier data, registered by `clerk` at `registry`. Empty cells stay
 * out, so the schema names them as missing; counts that are whole numbers become numbers, anything
 * else stays text for the schema to refuse in words.
 */
export function registerData(record: CsvRecord, columns: Array<Column | undefined>, registry: string, clerk: string): RegisterRow {
  const description: Record<string, unknown> = { registry };
  const data: Record<string, unknown> = { description, registeredBy: clerk };
  if (record.fields.length !== columns.length) {
    const carrierId = record.fields[columns.findIndex((c) => c?.field === 'carrierId')]?.trim() ?? '';
    return { line: record.line, carrierId, data, misshapen: `the line has ${record.fields.length} fields; the header has ${columns.length}` };
  }
  record.fields.forEach((raw, index) => {
    const column = columns[index];
    const value = raw.trim();
    if (column === undefined || value === '') return;
    const typed = NUMBER_FIELDS.has(column.field) && /^\d+$/.test(value) ? Number(value) : value;
    if (column.field.startsWith('description.')) description[column.field.slice('description.'.length)] = typed;
    else data[column.field] = typed;
  });
  return { line: record.line, carrierId: typeof data['carrierId'] === 'string' ? data['carrierId'] : '', data };
}
