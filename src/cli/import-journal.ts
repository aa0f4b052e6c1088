import { readTextIfExists, writeFileSafely } from './files.js';
import { CliError, EXIT } from './errors.js';

/**
 * The acts an import left waiting for a holder's signature, by carrier: `<register.csv>.pending.json`
 * beside the register. The server cannot be asked "is there a pending registration of C5?" by the
 * clerk (the inbox lists only what waits for one's own signature), and a fresh prepare makes a new
 * act, so without this a re-run would put a second copy of the act in the holder's inbox.
 */
export type PendingJournal = {
  file: string;
  actOf(carrierId: string): string | undefined;
  record(carrierId: string, actId: string): Promise<void>;
};

export async function openPendingJournal(registerFile: string): Promise<PendingJournal> {
  const file = `${registerFile}.pending.json`;
  const text = await readTextIfExists(file);
  const acts = new Map<string, string>();
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw new CliError(EXIT.usage, `${file} is not the import's list of pending acts (JSON); move it away to import afresh`);
    }
    for (const [carrierId, actId] of Object.entries((parsed ?? {}) as Record<string, unknown>)) if (typeof actId === 'string') acts.set(carrierId, actId);
  }
  // Lines finish concurrently: writes go one after the other, each with everything known so far.
  let writing: Promise<void> = Promise.resolve();
  return {
    file,
    actOf: (carrierId) => acts.get(carrierId),
    async record(carrierId, actId) {
      acts.set(carrierId, actId);
      // Act ids name classified carriers' registrations: private, like act files.
      const write = () => writeFileSafely(file, `${JSON.stringify(Object.fromEntries(acts), null, 2)}\n`, { mode: 0o600 });
      writing = writing.then(write, write);
      await writing;
    },
  };
}
