import type { Role } from '../../domain/person/events.js';
import { parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../errors.js';
import { plural } from '../../domain/describe/words.js';
import { table, text } from '../format.js';
import { writeJson, writeLines } from '../io.js';

export const people: Command = {
  name: 'people',
  summary: 'everyone enrolled: name, unit, clearance, roles, status',
  usage: `Usage: custody people [--all] [--json]

Lists the people enrolled in the ledger, by id: full name, unit, clearance, roles (with a registry
clerk's registry and an approver's authority) and, with --all, those deactivated too. Any logged-in
person may read it: it is everyone's public record, as custody prepare needs the ids.

Options:
  --all    include deactivated people
  --json   print the server's records (keys included)`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { all: { type: 'boolean' } });
    positionalsOf(positionals, []);
    const everyone = await (await connect(io)).call((api) => api.persons());
    const shown = values.all ? everyone : everyone.filter((p) => p.status !== 'deactivated');
    if (values.json) {
      writeJson(io, { items: shown });
      return EXIT.ok;
    }
    const hidden = everyone.length - shown.length;
    writeLines(
      io.stdout,
      `${plural(shown.length, 'person', 'people')} enrolled${hidden > 0 ? ` (and ${hidden} deactivated: --all shows them)` : ''}:`,
      ...table(
        ['PERSON', 'NAME', 'UNIT', 'CLEARANCE', 'ROLES', ...(values.all ? ['STATUS'] : [])],
        shown.map((p) => [text(p.id), text(p.name), text(p.unit), text(p.clearance), rolesInWords(p.roles), ...(values.all ? [text(p.status)] : [])]),
      ),
    );
    return EXIT.ok;
  },
};

/** "registry-clerk of R1, approver (originating-authority for Central Office)", or "-" for none. */
export function rolesInWords(roles: unknown): string {
  if (!Array.isArray(roles) || roles.length === 0) return '-';
  return (roles as Role[])
    .map((r) => {
      if (r.role === 'registry-clerk') return `registry-clerk of ${r.registry}`;
      if (r.role === 'approver') return `approver (${r.authority}${r.originators ? ` for ${r.originators.join(', ')}` : ''})`;
      return r.role;
    })
    .join(', ');
}
