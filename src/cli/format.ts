import type { SignedAct, UnsignedAct } from '../domain/act.js';
import { commandDescriptor, type FieldDescriptor } from '../domain/describe/index.js';
import { shortId } from './outcome.js';

/**
 * Human-readable renderings. Everything here is pure text-building; `--json` bypasses it.
 */

const MAX_VALUE = 80;

/** Command data the way it is typed: `carrierId=C1 location="Office 12" description.kind=document`. */
export function describeData(data: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(data).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return describeData(value as Record<string, unknown>, `${path}.`);
    }
    return [`${path}=${shellValue(value)}`];
  });
}

function shellValue(value: unknown): string {
  const text = typeof value === 'string' ? (/^[\w./:@+-]+$/.test(value) && !/^(?:-?\d|true$|false$|null$)/.test(value) ? value : JSON.stringify(value)) : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

const idOf = (stream: string): string => stream.slice(stream.indexOf('-') + 1);

export const carriersOfAct = (act: UnsignedAct): string[] =>
  act.events.filter((e) => e.stream.startsWith('carrier-')).map((e) => idOf(e.stream));

/** Who has signed and who has not, in the act's order. */
export function describeSigners(signed: Pick<SignedAct, 'act' | 'signatures'>): string {
  return signed.act.signers
    .map((s) => {
      const signature = signed.signatures.find((sig) => sig.signer === s);
      if (!signature) return `${s} (to sign)`;
      // The act takes effect at the last signer's time: each signer's time is part of the record.
      return signature.signedAt === undefined ? `${s} (signed)` : `${s} (signed ${signature.signedAt})`;
    })
    .join(', ');
}

/**
 * What a signer is asked to sign: the command, what it touches, when, and the exact events. For a
 * person, the act's short id and only the data they gave: values equal to the schema's defaults
 * are left out; `verbose` keeps the whole id and every value (as --json does).
 */
export function describeAct(signed: Pick<SignedAct, 'act' | 'signatures'>, actId: string, options: { verbose?: boolean } = {}): string[] {
  const { act } = signed;
  const data = options.verbose ? act.command.data : withoutDefaults(act.command.type, act.command.data);
  const carriers = carriersOfAct(act);
  const persons = act.events.filter((e) => e.stream.startsWith('person-')).map((e) => idOf(e.stream));
  return [
    `${act.command.type}  act ${options.verbose ? actId : shortId(actId)}`,
    `  ledger    ${act.ledger}`,
    `  time      ${act.time}`,
    ...(carriers.length > 0 ? [`  carriers  ${carriers.join(', ')}`] : []),
    ...(persons.length > 0 ? [`  persons   ${persons.join(', ')}`] : []),
    `  signers   ${describeSigners(signed)}`,
    `  data      ${describeData(data).join(' ')}`,
    '  events',
    ...act.events.map((e) => `    ${e.stream} #${e.revision}  ${e.type}`),
  ];
}

/** The command's data without the values its schema would have put there anyway. */
export function withoutDefaults(type: string, data: Record<string, unknown>): Record<string, unknown> {
  const command = commandDescriptor(type);
  return command === undefined ? data : dropDefaults(data, command.fields);
}

function dropDefaults(data: Record<string, unknown>, fields: FieldDescriptor[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).flatMap(([key, value]): Array<[string, unknown]> => {
      const field = fields.find((f) => f.name === key);
      if (field === undefined) return [[key, value]];
      if (field.default !== undefined && JSON.stringify(field.default) === JSON.stringify(value)) return [];
      if (field.kind === 'group' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const inner = dropDefaults(value as Record<string, unknown>, field.fields);
        return Object.keys(inner).length === 0 ? [] : [[key, inner]];
      }
      return [[key, value]];
    }),
  );
}

/** "41 s", "12 min", "3 h 5 min", "2 days 4 h": the largest two units, never "0 h". */
export function durationInWords(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const days = Math.floor(h / 24);
  return `${days} day${days === 1 ? '' : 's'}${h % 24 === 0 ? '' : ` ${h % 24} h`}`;
}

/** A record as `name  value` lines, nested objects flattened with dots; `first` fields lead. */
export function describeRecord(record: Record<string, unknown>, first: string[] = []): string[] {
  const flat = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`);
      return;
    }
    flat.set(path, Array.isArray(value) ? value.map(plain).join(', ') || '(none)' : plain(value));
  };
  walk(record, '');
  const keys = [...first.filter((k) => flat.has(k)), ...[...flat.keys()].filter((k) => !first.includes(k))];
  // Every value in one column, however long a nested name (transport.destination.registry) is.
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${k.padEnd(width)}  ${flat.get(k)}`);
}

function plain(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows as aligned columns under a header. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** The list inside a reply that is either a bare array or `{ items | events | carriers | holdings: [...] }`. */
export function listOf(reply: unknown, ...keys: string[]): Array<Record<string, unknown>> {
  if (Array.isArray(reply)) return reply as Array<Record<string, unknown>>;
  if (reply !== null && typeof reply === 'object') {
    for (const key of [...keys, 'items']) {
      const value = (reply as Record<string, unknown>)[key];
      if (Array.isArray(value)) return value as Array<Record<string, unknown>>;
    }
  }
  return [];
}

export const text = (value: unknown): string => (Array.isArray(value) ? value.map(plain).join(', ') : plain(value));
