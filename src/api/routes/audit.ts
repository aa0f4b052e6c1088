import { createRoute, z } from '@hono/zod-openapi';
import { ReadRecord } from '../../audit/read-log.js';
import { CarrierId, PersonId } from '../../domain/primitives.js';
import { seesEverything } from '../access.js';
import { forbidden, HttpProblem } from '../problems.js';
import { bearer, jsonContent, problemResponses, viewerOf, type ApiDeps, type App } from '../deps.js';

// Compared with recorded times, which are UTC ISO text: normalised to that before comparing.
const Instant = z.iso.datetime({ offset: true });
const ReadsQuery = z.object({
  carrier: CarrierId.optional(),
  person: PersonId.optional(),
  from: Instant.optional().openapi({ description: 'Reads at or after this instant (ISO 8601 with a time zone)' }),
  to: Instant.optional().openapi({ description: 'Reads before this instant' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().regex(/^[0-9]{1,15}$/).optional().openapi({ description: 'nextCursor of the previous page' }),
});
const ReadsPage = z
  .object({ items: z.array(ReadRecord), nextCursor: z.string().nullable() })
  .openapi('ReadsPage', { description: 'Recorded reads, oldest first: time, person, kind of read, carriers, subject, outcome, request id' });

const reads = createRoute({
  method: 'get',
  path: '/audit/reads',
  summary: 'Who read which carrier, when, and whether they were shown it (the access log)',
  description: 'For security officers and investigators only (403 otherwise). Filters combine; pages follow nextCursor.',
  security: bearer,
  request: { query: ReadsQuery },
  responses: { 200: { description: 'A page of recorded reads', content: jsonContent(ReadsPage) }, ...problemResponses(400, 401, 403, 503) },
});

export function registerAuditRoutes(app: App, deps: ApiDeps): void {
  app.openapi(reads, (c) => {
    if (!seesEverything(viewerOf(c))) throw forbidden('the access log is for security officers and investigators');
    const { readLog } = deps;
    if (!readLog) throw new HttpProblem('not-ready', 'this server keeps no read log');
    const q = c.req.valid('query');
    const items = readLog.query({
      limit: q.limit,
      ...(q.carrier !== undefined ? { carrier: q.carrier } : {}),
      ...(q.person !== undefined ? { person: q.person } : {}),
      ...(q.from !== undefined ? { from: new Date(q.from).toISOString() } : {}),
      ...(q.to !== undefined ? { to: new Date(q.to).toISOString() } : {}),
      ...(q.cursor !== undefined ? { afterSeq: Number(q.cursor) } : {}),
    });
    const nextCursor = items.length === q.limit ? String(items.at(-1)!.seq) : null;
    return c.json({ items, nextCursor }, 200);
  });
}
