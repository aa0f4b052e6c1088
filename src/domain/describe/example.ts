import type { FieldDescriptor } from './field.js';

/**
 * A value that parses for the described fields: the required ones only (what a person must type),
 * with the README's cast as people. A schema's own `examples` meta, when it has one, wins over this.
 */

/** Distinct people in the order a command names them, so giver and receiver differ. */
const CAST = ['clerk', 'courier1', 'courier2', 'analyst', 'director', 'officer'];
const TEXTS: Record<string, string> = {
  title: 'Border assessment 2026',
  originator: 'Central Office',
  reference: 'CO-2026-17',
  name: 'Chen Li',
  readerName: 'Zhao Min',
  unit: 'Registry R1',
  reason: 'no longer needed',
  method: 'shred',
  circumstances: 'not found at the morning count',
  repairer: 'Disk Repair Ltd',
  seal: 'S-0042',
  sealSeen: 'S-0042',
};
const ACT_IDS: Record<string, string> = { circulationId: 'circ-1', requestId: 'req-1', transportId: 'T-1', loanId: 'loan-1', inventoryId: 'inv-1' };

type Counter = { person: number; carrier: number };

export function exampleOfFields(fields: FieldDescriptor[]): Record<string, unknown> {
  return groupExample(fields, { person: 0, carrier: 0 });
}

export function exampleOfField(field: FieldDescriptor): unknown {
  return valueOf(field, { person: 0, carrier: 0 });
}

function groupExample(fields: FieldDescriptor[], counter: Counter): Record<string, unknown> {
  const chosen = fields.filter((f) => f.required);
  // A group whose fields are all optional (a correction) still needs one to say anything.
  const shown = chosen.length > 0 ? chosen : fields.slice(0, 1);
  return Object.fromEntries(shown.map((f) => [f.name, valueOf(f, counter)]));
}

function valueOf(field: FieldDescriptor, counter: Counter): unknown {
  if (field.default !== undefined) return field.default;
  switch (field.kind) {
    case 'id':
      if (field.of === 'person') return CAST[counter.person++ % CAST.length];
      if (field.of === 'carrier') return counter.carrier++ === 0 ? 'TS-2026-001' : `TS-2026-00${counter.carrier}`;
      return 'R1';
    case 'text':
      if (field.format === 'time') return '2026-12-01T09:00:00.000Z';
      if (field.format === 'hash') return '0'.repeat(64);
      if (field.format === 'public-key') return 'A'.repeat(43);
      if (field.picker === 'location') return 'R1 safe 1';
      return fit(ACT_IDS[field.name] ?? TEXTS[field.name] ?? field.label, field.minLength, field.maxLength);
    case 'number':
      return Math.max(field.min ?? 1, Math.min(1, field.max ?? 1));
    case 'boolean':
      return false;
    case 'choice':
      return field.choices[0];
    case 'fixed':
      return field.value;
    case 'list': {
      const count = Math.max(1, field.minItems ?? 0);
      return Array.from({ length: count }, () => valueOf(field.item, counter));
    }
    case 'group':
      return groupExample(field.fields, counter);
    case 'variants': {
      const variant = field.variants.find((v) => v.fields.filter((f) => f.required).length <= 2) ?? field.variants[0]!;
      return groupExample(variant.fields, counter);
    }
    case 'any':
      return null;
  }
}

function fit(text: string, min = 1, max = Number.POSITIVE_INFINITY): string {
  const padded = text.length >= min ? text : text.padEnd(min, 'x');
  return padded.slice(0, max);
}
