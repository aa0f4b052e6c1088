import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as decider from '../../src/domain/ledger-decider.js';
import type { UnsignedAct } from '../../src/domain/act.js';
import { RuleViolation, ValidationError } from '../../src/domain/errors.js';
import { LedgerCommand } from '../../src/domain/ledger-command.js';
import { defaultPolicy } from '../../src/domain/policy/policy.js';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { actIdOf, appendRequestsFor } from '../../src/ledger/envelope.js';
import { createWriteModel, foldRecorded, holdingsOf } from '../../src/ledger/write-model.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { buildOffice, type Office } from '../verify/fixture.js';

/**
 * Issue 17 §2: the ledger (preparing and checking an act) and the offline verifier (replaying it)
 * decide through one pure function, `decideLedger`: who must sign, and the events, one per stream.
 */

vi.mock('../../src/domain/ledger-decider.js', { spy: true });

let office: Office;
beforeEach(async () => {
  office = await buildOffice();
  vi.mocked(decider.decideLedger).mockClear();
});

/** Appended around the ledger (as someone with the database could), correctly chained and signed. */
async function forge(act: UnsignedAct) {
  const { kit, store } = office;
  await store.appendMany(appendRequestsFor(act, actIdOf(act), kit.signed(act).signatures));
  return verifyBundle(await exportCarrierBundle('C2', { store, checkpointer: office.checkpointer }), office.trust);
}

describe('one decider for the ledger and the offline verifier', () => {
  it('the ledger prepares and checks an act through decideLedger, and the verifier replays it through the same', async () => {
    const spy = vi.mocked(decider.decideLedger);
    const act = office.kit.transfer('C2', 'clerk2', 'reader2');
    await office.kit.ledger.submit(office.kit.signed(act));
    // Once to prepare, once to check what was submitted against the heads it is appended to.
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.results.every((r) => r.type === 'return')).toBe(true);

    spy.mockClear();
    const report = verifyBundle(await exportCarrierBundle('C2', { store: office.store, checkpointer: office.checkpointer }), office.trust);
    expect(report.issues).toEqual([]);
    const replayed = spy.mock.calls.map(([command]) => command.type);
    expect(replayed).toContain('TransferCustody');
    expect(replayed).toContain('RegisterCarrier');
  });

  it('R-HOLD-2: a hand-over to someone not cleared is refused by the ledger, and the same act forged into the store is refused by the replay, naming the same rule', async () => {
    const command = { type: 'TransferCustody', data: { carrierId: 'C2', giver: 'clerk2', receiver: 'reader1', location: 'Office 12' } };
    // C2 is top-secret only when registered so; make one that is.
    await office.kit.register('TS9', 'top-secret', 'clerk1');
    const ledgerError = (() => {
      try {
        office.kit.ledger.prepare({ ...command, data: { ...command.data, carrierId: 'TS9', giver: 'clerk1' } });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(ledgerError).toBeInstanceOf(RuleViolation);
    expect((ledgerError as RuleViolation).rule).toBe('R-HOLD-2');

    const head = office.kit.ledger.model.heads.get('carrier-TS9')!;
    const act: UnsignedAct = {
      v: 1,
      ledger: 'test-ledger',
      command: { type: 'TransferCustody', data: { carrierId: 'TS9', giver: 'clerk1', receiver: 'reader1', location: 'Office 12' } },
      time: office.kit.clock(),
      signers: ['clerk1', 'reader1'],
      events: [{ stream: 'carrier-TS9', revision: head.revision + 1, prevHash: head.hash, type: 'CustodyTransferred', data: { from: 'clerk1', to: 'reader1', location: 'Office 12', atRegistry: false } }],
    };
    await expect(office.kit.ledger.submit(office.kit.signed(act))).rejects.toBeInstanceOf(RuleViolation);
    const { store, kit } = office;
    await store.appendMany(appendRequestsFor(act, actIdOf(act), kit.signed(act).signatures));
    const report = verifyBundle(await exportCarrierBundle('TS9', { store, checkpointer: office.checkpointer }), office.trust);
    expect(report.issues).toEqual([expect.objectContaining({ code: 'rule-violation', stream: 'carrier-TS9', message: expect.stringMatching(/R-HOLD-2/) })]);
  });

  it('L-2: an act that leaves out a required signer is refused by the ledger and by the replay', async () => {
    const prepared = office.kit.transfer('C2', 'clerk2', 'reader2');
    const act: UnsignedAct = { ...prepared, signers: ['clerk2'] };
    await expect(office.kit.ledger.submit(office.kit.signed(act))).rejects.toBeInstanceOf(ValidationError);
    const report = await forge(act);
    expect(report.issues).toEqual([expect.objectContaining({ code: 'replay-mismatch', message: expect.stringMatching(/needs clerk2, reader2/) })]);
  });
});

describe('decideLedger: who must sign is part of the decision', () => {
  const decide = (command: unknown) => {
    const { model } = office.kit.ledger;
    return decider.decideLedger(LedgerCommand.parse(command), model, { now: office.kit.clock(), basePolicy: defaultPolicy, holdingsOf: (id) => holdingsOf(model, id) });
  };

  it('a hand-over: giver and receiver, sorted; one event on the carrier\'s stream', () => {
    expect(decide({ type: 'TransferCustody', data: { carrierId: 'C2', giver: 'clerk2', receiver: 'reader2', location: 'Office 12' } })).toEqual({
      signers: ['clerk2', 'reader2'],
      events: [{ stream: 'carrier-C2', type: 'CustodyTransferred', data: { from: 'clerk2', to: 'reader2', location: 'Office 12', atRegistry: false } }],
    });
  });

  it('a duty handover over two carriers: both clerks; one event per carrier', async () => {
    await office.kit.register('C3', 'secret', 'clerk2');
    const decided = decide({ type: 'HandOverDuty', data: { carrierIds: ['C3', 'C2'], location: 'R1/safe-1', outgoing: 'clerk2', incoming: 'clerk1' } });
    expect(decided.signers).toEqual(['clerk1', 'clerk2']);
    expect(decided.events.map((e) => e.stream)).toEqual(['carrier-C3', 'carrier-C2']);
  });

  it('a person\'s key rotation goes to their own stream; a policy adoption to the policy stream', () => {
    expect(decide({ type: 'RotatePersonKey', data: { personId: 'reader1', publicKey: generateKeyPair().publicKey, rotatedBy: 'officer' } }).events[0]!.stream).toBe('person-reader1');
    const policy = { ...defaultPolicy, version: 2 };
    expect(decide({ type: 'AdoptPolicy', data: { policy, adoptedBy: 'officer' } })).toMatchObject({ signers: ['officer'], events: [{ stream: 'ledger-policy', type: 'PolicyAdopted' }] });
  });

  it('the write model a replay folds is the state it decides on', async () => {
    const model = createWriteModel();
    for (const recorded of await office.store.readAll()) foldRecorded(model, recorded);
    expect(model.carriers.get('C2')).toEqual(office.kit.ledger.model.carriers.get('C2'));
  });
});
