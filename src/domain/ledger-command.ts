import { z } from 'zod';
import { CarrierCommand } from './carrier/commands.js';
import { PersonCommand } from './person/commands.js';
import { PolicyCommand } from './policy/commands.js';

/**
 * Every command the ledger accepts, carrier, person and policy alike, told apart by `type`: the
 * domain's, so the CLI and the web app prepare commands without importing the server.
 */
export const LedgerCommand = z.discriminatedUnion('type', [...CarrierCommand.options, ...PersonCommand.options, ...PolicyCommand.options]);
export type LedgerCommand = z.infer<typeof LedgerCommand>;
export type LedgerCommandInput = z.input<typeof LedgerCommand>;

const PERSON_TYPES: ReadonlySet<string> = new Set(PersonCommand.options.map((option) => option.shape.type.value));
const POLICY_TYPES: ReadonlySet<string> = new Set(PolicyCommand.options.map((option) => option.shape.type.value));

export const isPersonCommand = (command: LedgerCommand): command is PersonCommand => PERSON_TYPES.has(command.type);

export const isPolicyCommand = (command: LedgerCommand): command is PolicyCommand => POLICY_TYPES.has(command.type);

export const isCarrierCommand = (command: LedgerCommand): command is CarrierCommand => !isPersonCommand(command) && !isPolicyCommand(command);
