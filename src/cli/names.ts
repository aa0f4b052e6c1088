import type { Connection } from './connect.js';

/**
 * People's names beside their ids in output for a person: "clerk (Chen Li)". The names come from
 * GET /persons, asked once per command; a server without it, or a failure, leaves the bare ids.
 */
export type Names = (personId: unknown) => string;

export async function namesOf(connection: Connection): Promise<Names> {
  const byId = new Map<string, string>();
  try {
    for (const person of await connection.call((api) => api.persons())) {
      if (typeof person.id === 'string' && typeof person.name === 'string') byId.set(person.id, person.name);
    }
  } catch {
    // Names are a courtesy: the ids alone still answer the question.
  }
  return (personId) => {
    const id = String(personId);
    const name = byId.get(id);
    return name === undefined ? id : `${id} (${name})`;
  };
}

/** Each id of a list (or a single id) with its name, joined by commas; "-" for none. */
export const withNames = (names: Names, value: unknown): string =>
  Array.isArray(value) ? value.map(names).join(', ') || '-' : value === null || value === undefined ? '-' : names(value);
