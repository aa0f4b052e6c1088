import type { CarrierCommand, CarrierCommandOf, CarrierCommandType } from './commands.js';
import { activePerson, requireBatchSize, type CarrierContext, type Decision } from './context.js';
import type { CarrierStates } from './state.js';
import { carriersOf, signersOf } from './targets.js';
import { decideCorrectCarrierEvent, decideReceiveCarrier, decideRegisterCarrier } from './registration.js';
import { decideHandOverDuty, decideTransferCustody } from './custody.js';
import {
  decideCloseCirculation,
  decideIssueToReader,
  decideOpenCirculation,
  decideReturnFromReader,
  decideWidenCirculation,
} from './circulation.js';
import { decideApproveCopies, decideMakeCopies, decideRequestCopies } from './copying.js';
import { decideDeliverTransport, decideDispatchTransport, decideHandOverInTransit } from './transport.js';
import { decideIssueArchiveLoan, decideReturnArchiveLoan } from './loan.js';
import { decideApproveMediaExit, decideApproveMediaRepair, decideRecordSanitisation } from './media.js';
import { decideTakeInventory } from './inventory.js';
import { decideDeclareLost, decideRecoverCarrier, decideReportMissing } from './loss.js';
import { decideApproveDestruction, decideDestroyCarriers, decideRequestDestruction } from './destruction.js';

type Handlers = {
  [T in CarrierCommandType]: (command: CarrierCommandOf<T>, states: CarrierStates, ctx: CarrierContext) => Decision;
};

/** One handler per command; a command without one does not compile. */
const handlers: Handlers = {
  RegisterCarrier: decideRegisterCarrier,
  ReceiveCarrier: decideReceiveCarrier,
  CorrectCarrierEvent: decideCorrectCarrierEvent,
  TransferCustody: decideTransferCustody,
  HandOverDuty: decideHandOverDuty,
  OpenCirculation: decideOpenCirculation,
  WidenCirculation: decideWidenCirculation,
  IssueToReader: decideIssueToReader,
  ReturnFromReader: decideReturnFromReader,
  CloseCirculation: decideCloseCirculation,
  RequestCopies: decideRequestCopies,
  ApproveCopies: decideApproveCopies,
  MakeCopies: decideMakeCopies,
  DispatchTransport: decideDispatchTransport,
  HandOverInTransit: decideHandOverInTransit,
  DeliverTransport: decideDeliverTransport,
  IssueArchiveLoan: decideIssueArchiveLoan,
  ReturnArchiveLoan: decideReturnArchiveLoan,
  ApproveMediaExit: decideApproveMediaExit,
  RecordSanitisation: decideRecordSanitisation,
  ApproveMediaRepair: decideApproveMediaRepair,
  TakeInventory: decideTakeInventory,
  ReportMissing: decideReportMissing,
  RecoverCarrier: decideRecoverCarrier,
  DeclareLost: decideDeclareLost,
  RequestDestruction: decideRequestDestruction,
  ApproveDestruction: decideApproveDestruction,
  DestroyCarriers: decideDestroyCarriers,
};

/**
 * decide(command, states, context) → events, or a thrown RuleViolation naming the rule.
 * `states` holds the current state of every carrier in `carriersOf(command)` (unregistered ones as
 * `{ status: 'none' }`). Pure: time, people and policy arrive in `ctx`.
 */
export function decideCarrier(command: CarrierCommand, states: CarrierStates, ctx: CarrierContext): Decision {
  requireBatchSize(ctx, carriersOf(command).length);
  const handler = handlers[command.type] as (c: CarrierCommand, s: CarrierStates, x: CarrierContext) => Decision;
  const decision = handler(command, states, ctx);
  // Every signer takes part in the act, so each must be enrolled and active whatever their part (L-2).
  for (const signer of signersOf(command)) activePerson(ctx, signer, 'L-2');
  return decision;
}
