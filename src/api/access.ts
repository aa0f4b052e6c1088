import { actSigningBytes, signedMessageOf, type SignedAct } from '../domain/act.js';
import { sha256Hex } from '../crypto/hash.js';
import type { Carrier, CarrierState } from '../domain/carrier/state.js';
import { isRegistered } from '../domain/carrier/state.js';
import { carriersOf } from '../domain/carrier/targets.js';
import { hasRole, keyValidAt, type Person } from '../domain/person/state.js';
import type { Policy } from '../domain/policy/policy.js';
import type { Verifier } from '../crypto/ed25519.js';
import { isCarrierCommand, LedgerCommand } from '../ledger/commands.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PendingActRecord } from '../inbox/port.js';

/**
 * Need-to-know. Security officers and investigators see everything; anyone else sees the carriers
 * they hold, held before, registered, are on the reader list of, or are asked to approve. A carrier
 * someone may not see is answered exactly like one that does not exist.
 */

export const seesEverything = (person: Person): boolean =>
  hasRole(person, 'security-officer') || hasRole(person, 'investigator');

export function maySeeCarrier(person: Person, carrier: Carrier, policy: Policy): boolean {
  if (seesEverything(person)) return true;
  const id = person.id;
  return (
    carrier.holders.includes(id) ||
    carrier.custodyChain.includes(id) ||
    carrier.registeredBy === id ||
    (carrier.circulation?.readers.includes(id) ?? false) ||
    awaitsApprovalOf(person, carrier, policy)
  );
}

/**
 * An approver needs to see what waits for their approval (R-COPY-2, R-DESTROY-1): an unapproved
 * copy request they have the authority for, or an unapproved destruction request.
 */
function awaitsApprovalOf(person: Person, carrier: Carrier, policy: Policy): boolean {
  const approverRoles = person.roles.filter((r) => r.role === 'approver');
  if (approverRoles.length === 0) return false;
  if (carrier.destruction !== null && carrier.destruction.approvedBy === null) return true;
  if (!Object.values(carrier.copyRequests).some((r) => r.approvedBy === null)) return false;
  const { originator, classification } = carrier.description;
  return approverRoles.some((role) =>
    role.authority === 'originating-authority'
      ? role.originators?.includes(originator) === true
      : policy.copyApproval[classification] === 'unit-head',
  );
}

/**
 * The first carrier an act's command names that exists but that `person` may not see, if any. Ids a
 * command registers anew are exempt: whether an id is taken cannot be hidden from whoever takes it.
 */
export function hiddenCarrierOf(
  command: unknown,
  person: Person,
  carriers: ReadonlyMap<string, CarrierState>,
  policy: Policy,
): string | undefined {
  if (seesEverything(person)) return undefined;
  const parsed = LedgerCommand.safeParse(command);
  // An unparseable command is refused by the ledger, naming its fields; it reveals nothing.
  if (!parsed.success || !isCarrierCommand(parsed.data)) return undefined;
  const created = new Set<string>();
  const c = parsed.data;
  if (c.type === 'RegisterCarrier' || c.type === 'ReceiveCarrier') created.add(c.data.carrierId);
  if (c.type === 'MakeCopies') for (const copy of c.data.copies) created.add(copy.carrierId);
  return carriersOf(c).find((id) => {
    if (created.has(id)) return false;
    const state = carriers.get(id);
    return state !== undefined && isRegistered(state) && !maySeeCarrier(person, state, policy);
  });
}

/** A pending act is shown to its signers and to those who see everything. */
export const maySeeAct = (person: Person, record: PendingActRecord): boolean =>
  record.act.signers.includes(person.id) || seesEverything(person);

/** Holdings of others are for security officers and investigators. */
export const mayReadHoldingsOf = (person: Person, personId: string): boolean =>
  person.id === personId || seesEverything(person);

/**
 * Whether another signer who may see every carrier of the act has validly signed it: then a signer
 * who may not see them yet (the receiver of a hand-over) may submit it. The holder who signs an act
 * shares it with its co-signers; a signature nobody valid made shares nothing.
 */
export function vouchedForBy(
  signed: SignedAct,
  viewer: Person,
  ledger: Pick<Ledger, 'model' | 'policy'>,
  verifier: Verifier,
): boolean {
  const { act, signatures } = signed;
  let bytes: Uint8Array | undefined;
  return signatures.some((s) => {
    if (s.signer === viewer.id || !act.signers.includes(s.signer)) return false;
    const signer = ledger.model.directory.get(s.signer);
    if (!signer || hiddenCarrierOf(act.command, signer, ledger.model.carriers, ledger.policy) !== undefined) return false;
    if (keyValidAt(signer, s.publicKey, s.signedAt ?? act.time) === undefined) return false;
    bytes ??= actSigningBytes(act);
    return verifier.verify(s.publicKey, signedMessageOf(s, sha256Hex(bytes), bytes), s.signature);
  });
}
