import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { checkCommand, commandDescriptors } from '../../src/domain/describe/index.js';
import { run, scratchDir, stderrJson, stdoutJson } from './harness.js';

const cwd = '/nonexistent-cli-test-dir';
const TYPES = commandDescriptors().map((c) => c.type);

/** Splits a line as a POSIX shell would for the words our help prints: bare text and '...' quotes. */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** A logged-in clerk and a server that answers every prepare and remembers the command it was sent. */
async function loggedInWithRecordingServer(dir: string) {
  const key = generateKeyPair();
  await writeFile(join(dir, 'clerk.key'), JSON.stringify({ personId: 'clerk', ...key }), { mode: 0o600 });
  await mkdir(join(dir, '.custody'));
  const session = { server: 'http://127.0.0.1:9', personId: 'clerk', token: 't', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), keyFile: join(dir, 'clerk.key') };
  await writeFile(join(dir, '.custody/session.json'), JSON.stringify(session), { mode: 0o600 });
  const commands: Array<{ type: string; data: Record<string, unknown> }> = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    const { command } = JSON.parse(String(init?.body)) as { command: { type: string; data: Record<string, unknown> } };
    commands.push(command);
    const act = { v: 1, ledger: 'L1', command, time: '2026-11-23T09:00:00.000Z', signers: ['clerk'], events: [{ stream: 'carrier-C1', revision: 0, prevHash: null, type: 'Any', data: {} }] };
    return new Response(JSON.stringify({ actId: 'a'.repeat(64), act, signers: ['clerk'] }), { status: 200 });
  };
  return { fetch, commands };
}

describe('custody prepare --list', () => {
  it('lists every command type with its purpose, grouped, and touches nothing', async () => {
    const result = await run(['prepare', '--list'], { cwd });
    expect(result.code).toBe(0);
    for (const c of commandDescriptors()) expect(result.stdout).toMatch(new RegExp(`^  ${c.type} +${c.purpose.replace(/[()]/g, '\\$&')}$`, 'm'));
    expect(result.stdout).toMatch(/^Carriers:$/m);
    expect(result.stdout).toMatch(/^People:$/m);
  });

  it('--json gives type, group and purpose of each', async () => {
    const result = await run(['prepare', '--list', '--json'], { cwd });
    expect(JSON.parse(result.stdout)).toContainEqual({ type: 'RegisterCarrier', group: 'carrier', purpose: expect.stringContaining('R-REG-1') });
  });
});

describe('custody prepare <Type> --help', () => {
  it('RegisterCarrier: every field with required/optional, type in words, choices and defaults', async () => {
    const result = await run(['prepare', 'RegisterCarrier', '--help'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: custody prepare RegisterCarrier /);
    const lines = result.stdout.split('\n');
    const row = (name: string) => lines.find((l) => l.startsWith(`  ${name} `))?.replace(/ +/g, ' ').trim();
    expect(row('carrierId')).toBe('carrierId required a carrier id');
    expect(row('description.kind')).toBe('description.kind required one of document, disk, copy, draft');
    expect(row('description.reference')).toBe('description.reference required text, at most 100 characters');
    expect(row('description.archive')).toBe('description.archive optional true or false; default false');
    expect(row('description.personal')).toBe('description.personal optional a group of fields, or null for none; default null');
    expect(row('holder')).toBe('holder required a person id');
  });

  it('--help --json gives the descriptor: fields, purpose and example', async () => {
    const result = await run(['prepare', 'TransferCustody', '--help', '--json'], { cwd });
    expect(result.code).toBe(0);
    const described = JSON.parse(result.stdout) as { type: string; purpose: string; fields: Array<{ name: string; kind: string }>; example: unknown };
    expect(described.type).toBe('TransferCustody');
    expect(described.fields.map((f) => [f.name, f.kind])).toEqual([['carrierId', 'id'], ['giver', 'id'], ['receiver', 'id'], ['location', 'text']]);
    expect(described.example).toEqual({ carrierId: 'TS-2026-001', giver: 'clerk', receiver: 'director', location: 'R1 safe 1' });
  });

  it('shows the help of the lists of objects and of the roles a person may have', async () => {
    const copies = await run(['prepare', 'MakeCopies', '--help'], { cwd });
    expect(copies.stdout).toMatch(/^ {2}copies\[\]\.copyNumber +required +a whole number of at least 1$/m);
    const enrol = await run(['help', 'prepare', 'EnrolPerson'], { cwd });
    expect(enrol.stdout).toMatch(/^Usage: custody prepare /);
    const enrolHelp = await run(['prepare', 'EnrolPerson', '-h'], { cwd });
    expect(enrolHelp.stdout).toMatch(/^ {2}roles\[\] role=approver +\(with authority, originators\)$/m);
    expect(enrolHelp.stdout).toMatch(/^ {2}roles\[\]\.authority +required +one of unit-head, originating-authority$/m);
  });

  it.each(TYPES)('the example in %s --help is accepted as typed', async (type) => {
    const help = await run(['prepare', type, '--help'], { cwd });
    const example = help.stdout.split('\n').find((l) => l.startsWith(`  custody prepare ${type} `));
    expect(example, help.stdout).toBeDefined();
    const { dir, cleanup } = await scratchDir();
    try {
      const server = await loggedInWithRecordingServer(dir);
      const result = await run(shellSplit(example!.trim()).slice(1), { cwd: dir, fetch: server.fetch });
      expect(result.code, result.stderr).toBe(0);
      expect(checkCommand(type, server.commands[0]!.data)).toMatchObject({ ok: true });
    } finally {
      await cleanup();
    }
  });
});

describe('custody prepare checks the data before asking the server', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: Awaited<ReturnType<typeof loggedInWithRecordingServer>>;
  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    server = await loggedInWithRecordingServer(dir);
  });
  afterEach(() => cleanup());

  it('names every missing or wrong field at once, in words, with how to write it (exit 2)', async () => {
    const result = await run(['prepare', 'RegisterCarrier', 'carrierId=C 1', 'description.kind=doc', 'colour=red', '--out', 'r.json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(2);
    expect(server.commands).toEqual([]);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe('custody prepare: the RegisterCarrier data has 13 problems (custody prepare RegisterCarrier --help lists its fields):');
    expect(lines).toContain('  carrierId must be a carrier id: letters, digits and . _ : - only, starting with a letter or digit (got "C 1")');
    expect(lines).toContain('  description.kind must be one of document, disk, copy, draft (got "doc")');
    expect(lines).toContain("  description.title is missing: text, at most 500 characters; e.g. description.title='Border assessment 2026'");
    expect(lines).toContain('  holder is missing: a person id; e.g. holder=clerk');
    expect(lines).toContain('  colour is not a field; the fields are carrierId, description, holder, location, registeredBy');
  });

  it('a text field given a number in --data says how to write it as text', async () => {
    const result = await run(['prepare', 'TransferCustody', '--data', '{"carrierId":2026,"giver":"a","receiver":"b","location":"L"}', '--out', 't.json'], { cwd: dir, fetch: server.fetch });
    expect(result.stderr).toContain('  carrierId must be a carrier id (got the number 2026); write carrierId=2026 (as text) or give it as a JSON string in --data-file');
  });

  it('--json carries each problem with its path', async () => {
    const result = await run(['prepare', 'TransferCustody', 'carrierId=C1', '--out', 't.json', '--json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(2);
    expect(stderrJson(result).error.issues).toEqual([
      { path: ['giver'], message: 'giver is missing: a person id', code: 'missing' },
      { path: ['receiver'], message: 'receiver is missing: a person id', code: 'missing' },
      { path: ['location'], message: 'location is missing: text, at most 200 characters', code: 'missing' },
    ]);
  });
});

describe('plain values', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: Awaited<ReturnType<typeof loggedInWithRecordingServer>>;
  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    server = await loggedInWithRecordingServer(dir);
  });
  afterEach(() => cleanup());

  it('a number-like value where the schema wants text is taken as text; numbers stay numbers', async () => {
    const words = ['carrierId=2026', 'description.kind=document', 'description.classification=secret', 'description.title=2026', 'description.originator=Central Office',
      'description.reference=2026', 'description.copyNumber=1', 'description.itemCount=12', 'description.registry=1', 'holder=clerk', 'location=12', 'registeredBy=clerk'];
    const result = await run(['prepare', 'RegisterCarrier', ...words, '--out', 'r.json', '--json'], { cwd: dir, fetch: server.fetch });
    expect(result.code, result.stderr).toBe(0);
    expect(server.commands[0]!.data).toMatchObject({
      carrierId: '2026',
      description: { title: '2026', reference: '2026', copyNumber: 1, itemCount: 12, registry: '1' },
      location: '12',
    });
    expect(stdoutJson(result).actId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists of ids take commas as well as JSON; null means none where a field takes none', async () => {
    const open = ['carrierId=C1', 'circulationId=circ-1', 'readers=analyst,director', 'openedBy=clerk', '--out', 'o.json'];
    const dispatch = ['carrierIds=C1, C2', 'transportId=T-1', 'giver=clerk', 'couriers=courier1', 'destination.person=director', 'leavesPremises=true', 'seal=null', '--out', 'd.json'];
    const json = ['carrierId=C1', 'circulationId=circ-1', 'readers=["analyst","director"]', 'openedBy=clerk', '--out', 'j.json'];
    for (const [type, words] of [['OpenCirculation', open], ['DispatchTransport', dispatch], ['OpenCirculation', json]] as const) {
      const result = await run(['prepare', type, ...words], { cwd: dir, fetch: server.fetch });
      expect(result.code, result.stderr).toBe(0);
    }
    expect(server.commands.map((c) => c.data)).toEqual([
      { carrierId: 'C1', circulationId: 'circ-1', readers: ['analyst', 'director'], openedBy: 'clerk' },
      { carrierIds: ['C1', 'C2'], transportId: 'T-1', giver: 'clerk', couriers: ['courier1'], destination: { person: 'director' }, leavesPremises: true, seal: null },
      { carrierId: 'C1', circulationId: 'circ-1', readers: ['analyst', 'director'], openedBy: 'clerk' },
    ]);
  });
});
