import type { Command } from '../command.js';

/**
 * Every command, in the order `custody --help` lists them: the order of a working day. Each is
 * loaded only when it runs: a process runs one command, and start-up time is what a person waits
 * for on every call (the schemas of every ledger command, for instance, are only `prepare`'s).
 */
const loaders: Record<string, () => Promise<Command>> = {
  keygen: async () => (await import('./keygen.js')).keygen,
  key: async () => (await import('./key.js')).key,
  init: async () => (await import('./init.js')).init,
  login: async () => (await import('./login.js')).login,
  import: async () => (await import('./import.js')).importRegister,
  prepare: async () => (await import('./prepare.js')).prepare,
  sign: async () => (await import('./sign.js')).sign,
  submit: async () => (await import('./submit.js')).submit,
  inbox: async () => (await import('./inbox.js')).inbox,
  where: async () => (await import('./where.js')).where,
  holdings: async () => (await import('./holdings.js')).holdings,
  people: async () => (await import('./people.js')).people,
  history: async () => (await import('./history.js')).history,
  access: async () => (await import('./access.js')).access,
  lineage: async () => (await import('./lineage.js')).lineage,
  trace: async () => (await import('./trace.js')).trace,
  alerts: async () => (await import('./alerts.js')).alerts,
  policy: async () => (await import('./policy.js')).policy,
  incident: async () => (await import('./incident.js')).incident,
  ledger: async () => (await import('./ledger.js')).ledger,
  checkpoint: async () => (await import('./checkpoint.js')).checkpoint,
  witness: async () => (await import('./witness.js')).witness,
  bundle: async () => (await import('./bundle-from-server.js')).bundle,
  verify: async () => (await import('./verify.js')).verify,
  audit: async () => (await import('./audit.js')).audit,
  reads: async () => (await import('./reads.js')).reads,
  backup: async () => (await import('./backup.js')).backup,
  restore: async () => (await import('./restore.js')).restore,
};

export const commandNames: readonly string[] = Object.keys(loaders);

/** The command called `name`, or undefined when there is none. */
export const loadCommand = (name: string): Promise<Command | undefined> =>
  Object.hasOwn(loaders, name) ? loaders[name]!() : Promise.resolve(undefined);

/** All of them, for the overview. */
export const loadCommands = (): Promise<Command[]> => Promise.all(commandNames.map((name) => loaders[name]!()));
