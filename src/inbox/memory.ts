import type { Inbox, PendingActRecord } from './port.js';

/** An inbox in memory, for tests: records are copied in and out, so callers never share them. */
export function createMemoryInbox(): Inbox {
  const records = new Map<string, PendingActRecord>();
  return {
    get: async (actId) => {
      const record = records.get(actId);
      return record && structuredClone(record);
    },
    save: async (record) => {
      records.set(record.actId, structuredClone(record));
    },
    awaiting: async (personId) =>
      [...records.values()]
        .filter((r) => r.status === 'pending' && r.missing.includes(personId))
        .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
        .map((r) => structuredClone(r)),
    close: async () => undefined,
  };
}
