import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { startServer, type RunningServer } from '../../src/server/server.js';

/**
 * The README walkthrough of one top-secret document against a real server on 127.0.0.1 (random
 * port, temporary SQLite file). Each person works from their own machine: their own CUSTODY_HOME.
 * The couriers sign the dispatch on two machines that have no session and no server (their
 * CUSTODY_SERVER points where nothing listens).
 *
 * The commands run in-process through the CLI's entry function, runCli, with each machine's own
 * environment, working directory and captured output: a child process per command proves nothing
 * more and cost ~3 minutes on a loaded 2-core machine. The first steps (keygen, a refused init) go
 * through the `custody` binary once, so the launcher and its exit codes stay covered.
 */

const BIN = resolve(import.meta.dirname, '../../bin/custody.js');
const DOC = 'TS-2026-001';
const COPY = 'TS-2026-001-C1';
const NOWHERE = 'http://127.0.0.1:1';

type Result = { code: number; stdout: string; stderr: string };
type Machine = 'officer' | 'clerk' | 'director' | 'courier1' | 'courier2';

describe('the README walkthrough through the custody command', () => {
  let work: string;
  let server: RunningServer | undefined;
  let serverUrl = NOWHERE;
  const keys: Record<string, string> = {};

  const envOf = (machine: Machine, offline: boolean) => ({
    HOME: work,
    CUSTODY_HOME: join(work, 'homes', machine),
    CUSTODY_SERVER: offline ? NOWHERE : serverUrl,
    // As the README exports it: the key files are encrypted, and the walkthrough needs no prompt.
    CUSTODY_PASSPHRASE: 'walkthrough only',
  });

  /**
   * Runs `custody ...` in the work directory on `machine`: that person's CUSTODY_HOME, with
   * CUSTODY_SERVER set as the README exports it; `offline` points it where nothing listens.
   */
  async function custody(args: string[], machine: Machine, offline = false): Promise<Result> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: envOf(machine, offline),
      cwd: work,
      fetch: globalThis.fetch,
    });
    return { code, stdout, stderr };
  }

  /** The same through the `custody` binary, as a child process. */
  function binary(args: string[], machine: Machine): Promise<Result> {
    const env = { ...process.env, ...envOf(machine, true) };
    return new Promise((done) => {
      execFile(process.execPath, [BIN, ...args], { cwd: work, env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      });
    });
  }

  /** Runs it and insists on exit 0, showing stderr when not. */
  async function ok(args: string[], machine: Machine, offline = false): Promise<string> {
    const result = await custody(args, machine, offline);
    expect(result.code, `custody ${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(0);
    return result.stdout;
  }

  const json = async (args: string[], machine: Machine) =>
    JSON.parse(await ok([...args, '--json'], machine)) as Record<string, unknown> & { items: Array<Record<string, unknown>> };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'custody-walkthrough-'));
  });
  afterAll(async () => {
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('everyone makes a key; the officer creates the ledger offline; the server starts; the officer logs in', async () => {
    const people = ['officer', 'clerk', 'analyst', 'director', 'courier1', 'courier2'];
    const first = await binary(['keygen', '--id', 'officer', '--out', 'officer.key'], 'officer');
    expect(first.code, first.stderr).toBe(0);
    keys.officer = first.stdout.trim();
    const printed = await Promise.all(people.slice(1).map((id) => ok(['keygen', '--id', id, '--out', `${id}.key`], 'officer')));
    people.slice(1).forEach((id, i) => (keys[id] = printed[i]!.trim()));
    expect((await stat(join(work, 'clerk.key'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(work, 'clerk.key'), 'utf8'))).toMatchObject({ format: 'custody-ledger/encrypted-key/v1', personId: 'clerk' });
    expect(keys.clerk).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const init = await ok(['init', '--db', 'data/custody.db', '--key', 'officer.key', '--id', 'officer', '--name', 'Wang Fang', '--unit', 'Security Office'], 'officer');
    expect(init).toMatch(/^Ledger ledger-[0-9a-f]{16} in .*custody\.db\nEnrolled officer \(Wang Fang, Security Office, top-secret\) as its first security officer/);
    const again = await binary(['init', '--db', 'data/custody.db', '--key', 'clerk.key', '--id', 'clerk', '--name', 'Chen Li', '--unit', 'Registry R1'], 'clerk');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/refused by R-PERSON: the ledger in .* already has 1 enrolled person/);

    server = await startServer({ dbPath: join(work, 'data/custody.db'), host: '127.0.0.1', port: 0, log: () => undefined });
    serverUrl = server.url;
    const login = await ok(['login', '--key', 'officer.key'], 'officer');
    expect(login).toMatch(/^Logged in to http:\/\/127\.0\.0\.1:\d+ \(ledger ledger-[0-9a-f]{16}\) as officer until /);
    expect((await stat(join(work, 'homes/officer/session.json'))).mode & 0o777).toBe(0o600);
  });

  it('the officer enrols each person; each signs their enrolment with their own key (proof of possession)', async () => {
    const people: Array<[string, string, string, string]> = [
      ['clerk', 'Chen Li', 'Registry R1', '[{"role":"registry-clerk","registry":"R1"}]'],
      ['analyst', 'Zhao Min', 'Analysis', '[]'],
      ['director', 'Liu Yang', 'Directorate', '[{"role":"approver","authority":"originating-authority","originators":["Central Office"]}]'],
      ['courier1', 'Sun Wei', 'Courier Service', '[{"role":"courier"}]'],
      ['courier2', 'Zhou Jie', 'Courier Service', '[{"role":"courier"}]'],
    ];
    await Promise.all(
      people.map(async ([id, name, unit, roles]) => {
        const prepared = await ok(
          ['prepare', 'EnrolPerson', `personId=${id}`, `name=${name}`, `unit=${unit}`, 'clearance=top-secret', `roles=${roles}`, `publicKey=${keys[id]}`, 'enrolledBy=officer', '--sign', '--out', `enrol-${id}.json`],
          'officer',
        );
        // The officer's signature carries the time they signed it.
        const signers = [id, 'officer'].sort().map((s) => (s === 'officer' ? 'officer \\(signed \\S+Z\\)' : `${s} \\(to sign\\)`));
        expect(prepared).toMatch(new RegExp(`signers {3}${signers.join(', ')}`));
        const enrolled = await ok(['sign', `enrol-${id}.json`, '--key', `${id}.key`, '--submit'], 'officer');
        expect(enrolled).toMatch(new RegExp(`Appended act [0-9a-f]{12}\\n  person-${id} revision 0\\n`));
      }),
    );
  });

  it('the clerk registers the document and circulates it to two readers, each signing for it and back', async () => {
    await ok(['login', '--key', 'clerk.key'], 'clerk');
    const register = await ok(
      [
        'prepare', 'RegisterCarrier', `carrierId=${DOC}`, 'description.kind=document', 'description.classification=top-secret',
        'description.title=Border assessment 2026', 'description.originator=Central Office', 'description.reference=CO-2026-17',
        'description.copyNumber=1', 'description.itemCount=12', 'description.registry=R1', 'holder=clerk', 'location=R1 safe 1',
        'registeredBy=clerk', '--sign', '--submit',
      ],
      'clerk',
    );
    expect(register).toContain(`carrier-${DOC} revision 0`);
    // Logging in changes nothing in the ledger: the director does it meanwhile.
    const [where] = await Promise.all([ok(['where', DOC], 'clerk'), ok(['login', '--key', 'director.key'], 'director')]);
    expect(where).toMatch(/^id +TS-2026-001\nstatus +held\nholders +clerk \(Chen Li\)\nlocation +R1 safe 1\nsince +\S+\nclassification +top-secret\n/);

    await ok(['prepare', 'OpenCirculation', `carrierId=${DOC}`, 'circulationId=circ-1', 'readers=analyst,director', 'openedBy=clerk', '--sign', '--submit'], 'clerk');
    for (const [reader, name] of [['analyst', 'Zhao Min'], ['director', 'Liu Yang']] as const) {
      await ok(['prepare', 'IssueToReader', `carrierId=${DOC}`, 'circulationId=circ-1', `reader=${reader}`, 'issuedBy=clerk', '--sign', '--out', `issue-${reader}.json`], 'clerk');
      expect(await ok(['sign', `issue-${reader}.json`, '--key', `${reader}.key`, '--submit'], 'clerk')).toContain('Appended act');
      await ok(['prepare', 'ReturnFromReader', `carrierId=${DOC}`, 'circulationId=circ-1', `reader=${reader}`, `readerName=${name}`, 'receivedBy=clerk', '--sign', '--out', `return-${reader}.json`], 'clerk');
      expect(await ok(['sign', `return-${reader}.json`, '--key', `${reader}.key`, '--submit'], 'clerk')).toContain('Appended act');
    }
    await ok(['prepare', 'CloseCirculation', `carrierId=${DOC}`, 'circulationId=circ-1', 'closedBy=clerk', '--sign', '--submit'], 'clerk');
  });

  it('R-COPY-1/2: the originating authority approves one copy before the clerk makes it', async () => {
    await ok(['prepare', 'RequestCopies', `carrierId=${DOC}`, 'requestId=copy-1', 'copies=1', 'reason=for the headquarters file', 'requestedBy=clerk', '--sign', '--submit'], 'clerk');
    await ok(['prepare', 'ApproveCopies', `carrierId=${DOC}`, 'requestId=copy-1', 'approvedBy=director', '--sign', '--submit'], 'director');
    await ok(['prepare', 'MakeCopies', `carrierId=${DOC}`, 'requestId=copy-1', `copies=[{"carrierId":"${COPY}","copyNumber":2}]`, 'holder=clerk', 'location=R1 safe 1', 'madeBy=clerk', '--sign', '--submit'], 'clerk');

    const [holdings, history] = await Promise.all([ok(['holdings'], 'clerk'), ok(['history', DOC], 'clerk')]);
    expect(history).toMatch(/^History of TS-2026-001 \(10 events\):\nREV +TOOK EFFECT +EVENT +SIGNED BY +PREPARED +RECORDED\n0 +\S+ +CarrierRegistered +clerk \(Chen Li\) \S+ +\S+ +\S+\n/);
    // Each signer, named, with the time they signed, then when the act was prepared and when it was recorded.
    const times = ' +\\S+ +\\S+';
    expect(history).toMatch(new RegExp(`\\n2 +\\S+ +CarrierIssuedToReader +analyst \\(Zhao Min\\) \\S+, clerk \\(Chen Li\\) \\S+${times}\\n`));
    expect(history).toMatch(new RegExp(`\\n5 +\\S+ +CarrierReturnedByReader +clerk \\(Chen Li\\) \\S+, director \\(Liu Yang\\) \\S+${times}\\n6 +\\S+ +CirculationClosed +clerk \\(Chen Li\\) \\S+${times}\\n`));
    expect(history).toMatch(new RegExp(`\\n8 +\\S+ +CopyApproved +director \\(Liu Yang\\) \\S+${times}\\n9 +\\S+ +CopiesMade +clerk \\(Chen Li\\) \\S+${times}\\n$`));
    expect(holdings).toMatch(/^clerk holds 2 carriers:\nCARRIER +CLASSIFICATION +STATUS +LOCATION +SINCE +TITLE\n/);
    expect(holdings).toMatch(new RegExp(`\\n${COPY} +top-secret +held +R1 safe 1 +\\S+ +Border assessment 2026\\n`));
  });

  it('R-TRANSPORT-2: the two couriers sign the dispatch on two machines, offline, passing the act file', async () => {
    const dispatch = await ok(
      ['prepare', 'DispatchTransport', `carrierIds=${COPY}`, 'transportId=T-1', 'giver=clerk', 'couriers=courier1,courier2', 'destination.person=director', 'leavesPremises=true', 'seal=S-0042', '--sign', '--out', 'dispatch.json'],
      'clerk',
    );
    expect(dispatch).toMatch(/signers {3}clerk \(signed \d{4}-\S+Z\), courier1 \(to sign\), courier2 \(to sign\)/);

    // Neither courier's machine has a session or a reachable server: signing needs neither.
    expect(await ok(['sign', 'dispatch.json', '--key', 'courier1.key'], 'courier1', true)).toContain('Still to sign: courier2');
    const stranger = await custody(['sign', 'dispatch.json', '--key', 'analyst.key'], 'courier1', true);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain('refused by L-2: analyst is not a signer of this act');
    expect(await ok(['sign', 'dispatch.json', '--key', 'courier2.key'], 'courier2', true)).toContain('Every signer has signed: custody submit dispatch.json');

    expect(await ok(['submit', 'dispatch.json'], 'clerk')).toMatch(new RegExp(`^Appended act [0-9a-f]{12}\\n  carrier-${COPY} revision 1\\n$`));
  });

  it('R-TRANSPORT-3: the delivery waits in the director\'s inbox until the director signs for it', async () => {
    // Logging in changes nothing, so the check of the carrier in transit can run beside it.
    const [inTransit] = await Promise.all([json(['where', COPY], 'clerk'), ok(['login', '--key', 'courier1.key'], 'courier1')]);
    expect(inTransit).toMatchObject({ status: 'in-transit', holders: ['courier1', 'courier2'] });
    await ok(
      ['prepare', 'DeliverTransport', `carrierIds=["${COPY}"]`, 'transportId=T-1', 'couriers=["courier1","courier2"]', 'receiver=director', 'location=HQ safe 2', 'sealSeen=S-0042', '--sign', '--out', 'deliver.json'],
      'courier1',
    );
    await ok(['sign', 'deliver.json', '--key', 'courier2.key'], 'courier2', true);
    const pending = await ok(['submit', 'deliver.json'], 'courier1');
    expect(pending).toMatch(/^Pending: act [0-9a-f]{12} waits for the signature of director \(until /);
    const actId = /act ([0-9a-f]{12})/.exec(pending)![1]!;

    const inbox = await ok(['inbox'], 'director');
    expect(inbox).toMatch(new RegExp(`^ACT +WHAT +CARRIERS +MISSING +UNTIL\\n${actId} +.*${COPY} +director \\(Liu Yang\\) +\\S+\\n`));
    const signed = await ok(['inbox', 'sign', '--carrier', COPY], 'director');
    expect(signed).toContain('Signed as director.');
    expect(signed).toContain(`Appended act ${actId}`);
  });

  it('R-DESTROY-1/4: requested, approved, then destroyed by the holder under an independent witness; nothing follows', async () => {
    const target = `carrierIds=["${COPY}"]`;
    const [delivered] = await Promise.all([
      json(['where', COPY], 'director'),
      ok(['prepare', 'RequestDestruction', target, 'requestId=destroy-1', 'method=shred', 'reason=no longer needed', 'requestedBy=director', '--sign', '--submit'], 'director'),
    ]);
    expect(delivered).toMatchObject({ status: 'held', holders: ['director'], location: 'HQ safe 2' });
    await ok(['prepare', 'ApproveDestruction', target, 'requestId=destroy-1', 'approvedBy=officer', '--sign', '--submit'], 'officer');
    const destroy = await ok(['prepare', 'DestroyCarriers', target, 'requestId=destroy-1', 'destroyedBy=director', 'witness=officer', 'location=HQ shredder room', '--sign', '--submit'], 'director');
    expect(destroy).toContain('waits for the signature of officer');
    expect(await ok(['inbox', 'sign', '--carrier', COPY], 'officer')).toContain(`carrier-${COPY} revision 5`);

    const [history, after] = await Promise.all([
      json(['history', COPY], 'officer'),
      custody(['prepare', 'TransferCustody', `carrierId=${COPY}`, 'giver=director', 'receiver=analyst', 'location=HQ', '--out', 'late.json'], 'director'),
    ]);
    expect(history.items.map((e) => [e.type, e.signers])).toEqual([
      ['CopyRegistered', ['clerk']],
      ['TransportDispatched', ['clerk', 'courier1', 'courier2']],
      ['TransportDelivered', ['courier1', 'courier2', 'director']],
      ['DestructionRequested', ['director']],
      ['DestructionApproved', ['officer']],
      ['CarrierDestroyed', ['director', 'officer']],
    ]);

    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^custody prepare: refused by R-DESTROY-2: /);
  });
});
