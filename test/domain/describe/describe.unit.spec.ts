import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { LedgerCommand } from '../../../src/ledger/commands.js';
import { PersonId } from '../../../src/domain/primitives.js';
import {
  checkCommand,
  commandDescriptor,
  commandDescriptors,
  describeField,
  fieldAt,
  typeInWords,
  type FieldDescriptor,
} from '../../../src/domain/describe/index.js';

const field = (type: string, ...path: string[]): FieldDescriptor => {
  const found = fieldAt(commandDescriptor(type)!.fields, path);
  if (found === undefined) throw new Error(`no field ${path.join('.')} in ${type}`);
  return found;
};

describe('command descriptors', () => {
  it('cover every command the ledger accepts, each with a purpose in words', () => {
    const types = LedgerCommand.options.map((o) => o.shape.type.value);
    expect(commandDescriptors().map((c) => c.type).sort()).toEqual([...types].sort());
    for (const command of commandDescriptors()) {
      expect(command.purpose, command.type).not.toBe(command.type);
      expect(command.purpose.length, command.type).toBeLessThan(110);
    }
  });

  it.each(commandDescriptors().map((c) => c.type))('the example for %s parses as the ledger parses it', (type) => {
    const { example } = commandDescriptor(type)!;
    expect(checkCommand(type, example)).toMatchObject({ ok: true });
    expect(LedgerCommand.safeParse({ type, data: example }).success).toBe(true);
  });

  it('reads ids, pickers, choices, defaults and nesting from the schema', () => {
    expect(field('RegisterCarrier', 'carrierId')).toMatchObject({ kind: 'id', of: 'carrier', picker: 'carrier', label: 'Carrier id', required: true });
    expect(field('RegisterCarrier', 'location')).toMatchObject({ kind: 'text', picker: 'location', maxLength: 200 });
    expect(field('RegisterCarrier', 'description', 'kind')).toMatchObject({ kind: 'choice', choices: ['document', 'disk', 'copy', 'draft'], path: ['description', 'kind'] });
    expect(field('RegisterCarrier', 'description', 'cipherTelegram')).toMatchObject({ kind: 'boolean', required: false, default: false });
    expect(field('RegisterCarrier', 'description', 'personal')).toMatchObject({ kind: 'group', nullable: true, default: null, required: false });
    expect(field('RegisterCarrier', 'description', 'copyNumber')).toMatchObject({ kind: 'number', integer: true, min: 1 });
    expect(field('RegisterCarrier', 'description', 'registry')).toMatchObject({ kind: 'id', of: 'registry', picker: 'registry' });
  });

  it('reads lists with their limits, even through a pipe, and optional fields with their help', () => {
    expect(field('DispatchTransport', 'couriers')).toMatchObject({ kind: 'list', minItems: 1, maxItems: 2, distinct: true, item: { kind: 'id', of: 'person' } });
    expect(field('DispatchTransport', 'purpose')).toMatchObject({ kind: 'choice', default: 'delivery', required: false });
    expect(field('DispatchTransport', 'expectedBy')).toMatchObject({ kind: 'text', format: 'time', required: false, help: expect.stringContaining('R-TRANSPORT-5') });
    expect(field('DispatchTransport', 'destination', 'registry')).toMatchObject({ kind: 'id', of: 'registry', nullable: true, default: null });
    expect(field('MakeCopies', 'copies')).toMatchObject({ kind: 'list', maxItems: 1000, item: { kind: 'group', fields: [{ name: 'carrierId' }, { name: 'copyNumber' }] } });
  });

  it('reads discriminated unions as variants with their own fields', () => {
    const roles = field('EnrolPerson', 'roles');
    expect(roles.kind).toBe('list');
    const item = (roles as Extract<FieldDescriptor, { kind: 'list' }>).item;
    expect(item).toMatchObject({ kind: 'variants', discriminator: 'role' });
    const variants = (item as Extract<FieldDescriptor, { kind: 'variants' }>).variants;
    expect(variants.map((v) => v.value)).toEqual(['registry-clerk', 'courier', 'approver', 'security-officer', 'investigator', 'leader']);
    expect(variants.find((v) => v.value === 'approver')!.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['role', 'fixed', true],
      ['authority', 'choice', true],
      ['originators', 'list', false],
    ]);
  });

  it('takes a label from meta title and keeps a primitive id through .describe()/.meta()', () => {
    const described = describeField(PersonId.meta({ title: 'Who holds it', description: 'the accountable holder' }), 'holder', ['holder']);
    expect(described).toMatchObject({ kind: 'id', of: 'person', label: 'Who holds it', help: 'the accountable holder' });
    expect(describeField(z.string().optional(), 'readerName').label).toBe('Reader name');
  });

  it('says each type in words', () => {
    expect(typeInWords(field('DispatchTransport', 'couriers'))).toBe('a list of person ids (1 to 2), each once');
    expect(typeInWords(field('DispatchTransport', 'seal'))).toBe('text, at most 64 characters, or null for none');
    expect(typeInWords(field('RequestCopies', 'copies'))).toBe('a whole number from 1 to 1000');
    expect(typeInWords(field('RegisterCarrier', 'description', 'classification'))).toBe('one of confidential, secret, top-secret');
  });
});

describe('checkCommand', () => {
  it('lists every missing or wrong field at once, in words, nested ones included', () => {
    const checked = checkCommand('RegisterCarrier', {
      carrierId: 'C 1',
      description: { kind: 'doc', reference: 2026, copyNumber: '1', title: 'Budget', originator: 'Central Office', itemCount: 3, registry: 'R1', classification: 'secret' },
      holder: 'clerk',
      registeredBy: 'clerk',
      colour: 'red',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((p) => p.message)).toEqual([
      'carrierId must be a carrier id: letters, digits and . _ : - only, starting with a letter or digit (got "C 1")',
      'description.kind must be one of document, disk, copy, draft (got "doc")',
      'description.reference must be text, at most 100 characters (got the number 2026)',
      'description.copyNumber must be a whole number of at least 1 (got "1")',
      'location is missing: text, at most 200 characters',
      'colour is not a field; the fields are carrierId, description, holder, location, registeredBy',
    ]);
    expect(checked.problems.map((p) => p.problem)).toEqual(['wrong-type', 'not-allowed', 'wrong-type', 'wrong-type', 'missing', 'unknown-field']);
    expect(checked.problems[2]).toMatchObject({ path: ['description', 'reference'], field: 'description.reference', given: 2026 });
  });

  it('names what a missing group holds, list entries by index, and rules by their message', () => {
    const checked = checkCommand('DispatchTransport', { carrierIds: ['C1', 'C1'], transportId: 'T-1', giver: 'clerk', couriers: ['c1'], leavesPremises: true });
    expect(checked.ok ? [] : checked.problems.map((p) => p.message)).toEqual([
      'carrierIds: each carrier once',
      'destination is missing: a group of fields: destination.registry (optional), destination.person (optional)',
    ]);
    const roles = checkCommand('ChangePersonRoles', { personId: 'p', changedBy: 'o', roles: [{ role: 'clerk' }] });
    expect(roles.ok ? [] : roles.problems.map((p) => p.message)).toEqual([
      'roles[0].role must be one of registry-clerk, courier, approver, security-officer, investigator, leader (got "clerk")',
    ]);
  });

  it('returns the parsed command, defaults applied, when the data is right', () => {
    const checked = checkCommand('TransferCustody', { carrierId: 'C1', giver: 'a', receiver: 'b', location: 'Office 12' });
    expect(checked).toEqual({ ok: true, command: { type: 'TransferCustody', data: { carrierId: 'C1', giver: 'a', receiver: 'b', location: 'Office 12' } } });
    expect(checkCommand('TransferCustodi', {})).toMatchObject({ ok: false, problems: [{ field: 'type', message: 'there is no command "TransferCustodi"' }] });
  });
});

describe('the describer module', () => {
  it('is browser-safe: imports zod and src/domain only, no node:*', async () => {
    const dir = join(import.meta.dirname, '../../../src/domain/describe');
    for (const file of await readdir(dir)) {
      const source = await readFile(join(dir, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const spec of imports) expect(spec === 'zod' || spec.startsWith('./') || (spec.startsWith('../') && !spec.startsWith('../../')), `${file}: ${spec}`).toBe(true);
    }
  });
});
