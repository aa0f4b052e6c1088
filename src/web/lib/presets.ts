import { commandDescriptor } from '../../domain/describe/index.js';

/** Fields that name who performs the act: on my desk, that is me (shown, not editable). */
const ACTOR = /By$/;
/** Fields that are usually me too on a clerk's desk, but may be changed. */
const USUALLY_ME = new Set(['giver', 'holder', 'outgoing']);

export function actorPreset(type: string, me: string, extra: Record<string, unknown> = {}): { preset: Record<string, unknown>; locked: string[] } {
  const fields = commandDescriptor(type)?.fields ?? [];
  const preset: Record<string, unknown> = {};
  const locked: string[] = [];
  for (const f of fields) {
    if (f.picker !== 'person') continue;
    if (ACTOR.test(f.name) && f.name !== 'approvedBy') {
      preset[f.name] = me;
      locked.push(f.name);
    } else if (USUALLY_ME.has(f.name)) preset[f.name] = me;
  }
  return { preset: { ...preset, ...extra }, locked };
}
