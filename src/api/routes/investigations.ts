import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { NotFound } from '../../domain/errors.js';
import { isRegistered } from '../../domain/carrier/state.js';
import { CarrierId, Classification, Location, PersonId } from '../../domain/primitives.js';
import type { Person } from '../../domain/person/state.js';
import type { IncidentReport, ProjectionSet, WatchRule } from '../../projections/index.js';
import { mayReadHoldingsOf, maySeeCarrier, seesEverything } from '../access.js';
import { forbidden, HttpProblem } from '../problems.js';
import { CarrierParams, PersonParams } from '../schemas.js';
import { bearer, jsonContent, problemResponses, viewerOf, type ApiDeps, type App, type AppEnv } from '../deps.js';

/**
 * The investigators' reads over the projections: where a carrier is or was, who held what when,
 * access records, lineage, lost-carrier traces, WATCH alerts and incident reconstruction. Every
 * answer first waits until the projections have applied what the write model has seen, so a client
 * that has just appended reads its own write.
 */

/** Answers are documented by their leading members; the rest passes as the projections give it. */
const Answer = (name: string, description: string) => z.looseObject({}).openapi(name, { description });
const CustodyAnswer = Answer('CustodyAnswer', 'Status, holder(s), location, since when and under which act; `at` when asked as of a time');
const HoldingsAtAnswer = Answer('HoldingsAtAnswer', '{ personId, name, at, carriers: custody as of `at` }');
const LocationAnswer = Answer('LocationAnswer', '{ location, at?, carriers }');
const AccessAnswer = Answer('AccessAnswer', 'R-ACCESS-1: { carrierId, people: [{ personId, roles, first, last }], lines: [{ personId, role, time, actId }] }');
const LineageAnswer = Answer('LineageAnswer', '{ carrierId, parent, ancestors, tree }: each node with status and holders');
const TraceAnswer = Answer('TraceAnswer', 'R-LOSS-*: last signed custody, last sighting, exposure window, custodians, relatives, deadlines, remaining steps');
const AlertsAnswer = z.object({ now: z.string(), items: z.array(z.looseObject({ rule: z.string() })) }).openapi('AlertsAnswer');
const PolicyAnswer = Answer('PolicyAnswer', '{ at, inForce, since, adoptedBy, history: [{ from, policy, adoptedBy }] }: since is null while the base policy is in force');
const IncidentAnswer = Answer('IncidentAnswer', 'The window, the merged timeline of custody acts with signers, and who could have had access');

const At = z.string().optional().openapi({ description: 'ISO 8601 instant with a time zone; without it, now', example: '2026-11-23T09:00:00Z' });
const AtQuery = z.object({ at: At });
const KnownAt = z.string().optional().openapi({
  description: 'As the ledger stood at this instant: only acts it recorded (appended) by then count. The answer for a past knownAt never changes. Without `at`, `at` is knownAt',
  example: '2026-11-23T10:00:00Z',
});
const AsOfQuery = z.object({ at: At, knownAt: KnownAt });
// Domain schemas come from plain zod: described here by the route, not with .openapi().
const LocationParams = z.object({ location: Location });
const TraceQuery = z.object({ now: z.string().optional().openapi({ description: 'Deadlines are judged at this instant; default: the server clock' }) });
const AlertsQuery = z.object({
  now: z.string().optional(),
  rule: z.string().optional().openapi({ description: 'Comma-separated WATCH rules, e.g. R-CIRC-4,R-HOLD-5' }),
  carrierId: CarrierId.optional(),
});
const INCIDENT_FORMATS = ['json', 'md', 'html'] as const;
const IncidentsQuery = z.object({
  from: z.string(),
  to: z.string(),
  person: PersonId.optional(),
  location: Location.optional(),
  minClassification: Classification.optional(),
  carriers: z.string().optional().openapi({ description: 'Comma-separated carrier ids' }),
  format: z.enum(INCIDENT_FORMATS).default('json'),
});

const route = <const P extends string, const R extends NonNullable<RouteConfig['request']>>(
  path: P,
  summary: string,
  request: R,
  answer: z.ZodType,
  forbids = false,
) =>
  createRoute({
    method: 'get',
    path,
    summary,
    security: bearer,
    request,
    responses: {
      200: { description: summary, content: jsonContent(answer) },
      ...problemResponses(400, 401, 403, 404, 503),
    },
    ...(forbids ? { description: 'For security officers and investigators only (403 otherwise).' } : {}),
  });

const where = route('/carriers/{id}/where', 'Where a carrier is now, or was at `at` (by the time acts took effect), as known at `knownAt`, and who held it', { params: CarrierParams, query: AsOfQuery }, CustodyAnswer);
const holdingsAt = route(
  '/persons/{id}/holdings-at',
  "What a person held at `at`, as known at `knownAt` (your own; anyone's for security officers and investigators)",
  { params: PersonParams, query: z.object({ at: z.string(), knownAt: KnownAt }) },
  HoldingsAtAnswer,
);
const atLocation = route('/locations/{location}/carriers', 'The carriers at a location (URL-encoded, e.g. R1%2Fsafe-1) now, or at `at`, as known at `knownAt`', { params: LocationParams, query: AsOfQuery }, LocationAnswer, true);
const access = route('/carriers/{id}/access', 'Everyone who held, carried, read, copied or witnessed a carrier (R-ACCESS-1)', { params: CarrierParams }, AccessAnswer, true);
const lineage = route('/carriers/{id}/lineage', "A carrier's parent chain and all its copies, recursively", { params: CarrierParams }, LineageAnswer);
const trace = route('/carriers/{id}/trace', 'The lost-carrier trace (R-LOSS-*), deadlines judged at `now`', { params: CarrierParams, query: TraceQuery }, TraceAnswer, true);
const policy = route('/policy', 'The policy in force now, or at `at`, since when and by whom, and every recorded adoption', { query: AtQuery }, PolicyAnswer);
const alerts = route('/alerts', 'Open WATCH alerts at `now`, optionally for some rules or one carrier', { query: AlertsQuery }, AlertsAnswer, true);
const incidents = createRoute({
  method: 'get',
  path: '/incidents',
  summary: 'Incident reconstruction over a window: the timeline of custody acts and who could have had access',
  description: 'For security officers and investigators only (403 otherwise). `format=md` or `html` answers a readable report with an SVG timeline.',
  security: bearer,
  request: { query: IncidentsQuery },
  responses: {
    200: {
      description: 'The report',
      content: { ...jsonContent(IncidentAnswer), 'text/markdown': { schema: z.string() }, 'text/html': { schema: z.string() } },
    },
    ...problemResponses(400, 401, 403, 503),
  },
});

const CONTENT_TYPES = { md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');

export function registerInvestigationRoutes(app: App, deps: ApiDeps): void {
  const { ledger } = deps;

  /** The projections, caught up with everything the write model has seen (read your own writes). */
  async function caughtUp(): Promise<ProjectionSet> {
    const { projections } = deps;
    if (!projections) throw new HttpProblem('not-ready', 'this server keeps no read models; investigation queries are unavailable');
    await projections.waitFor(ledger.model.position);
    return projections;
  }

  /** The same 404 for a carrier that does not exist and one the viewer may not see. */
  function requireVisible(id: string, viewer: Person): void {
    const state = ledger.model.carriers.get(id);
    if (!state || !isRegistered(state) || !maySeeCarrier(viewer, state, ledger.policy)) throw new NotFound('carrier', id);
  }

  function requireOfficer(c: Context<AppEnv>): void {
    if (!seesEverything(viewerOf(c))) throw forbidden('only security officers and investigators may ask this');
  }

  app.openapi(where, async (c) => {
    const { id } = c.req.valid('param');
    const { at: asked, knownAt } = c.req.valid('query');
    requireVisible(id, viewerOf(c));
    const projections = await caughtUp();
    const at = asked ?? knownAt;
    if (at === undefined) return c.json(projections.where(id), 200);
    const then = projections.whereAt(id, at, knownAt);
    if (then === null) throw new NotFound('carrier', `${id} at ${at} (it was registered later${knownAt === undefined ? '' : ', or recorded after knownAt'})`);
    return c.json(then, 200);
  });

  app.openapi(holdingsAt, async (c) => {
    const { id } = c.req.valid('param');
    if (!mayReadHoldingsOf(viewerOf(c), id)) throw forbidden('only security officers and investigators read the holdings of others');
    const { at, knownAt } = c.req.valid('query');
    return c.json((await caughtUp()).holdingsAt(id, at, knownAt), 200);
  });

  app.openapi(atLocation, async (c) => {
    requireOfficer(c);
    const { location } = c.req.valid('param');
    const { at: asked, knownAt } = c.req.valid('query');
    const at = asked ?? knownAt;
    const projections = await caughtUp();
    return c.json(at === undefined ? projections.atLocation(location) : projections.atLocationAt(location, at, knownAt), 200);
  });

  app.openapi(access, async (c) => {
    requireOfficer(c);
    return c.json((await caughtUp()).access(c.req.valid('param').id), 200);
  });

  app.openapi(lineage, async (c) => {
    const { id } = c.req.valid('param');
    requireVisible(id, viewerOf(c));
    return c.json((await caughtUp()).lineage(id), 200);
  });

  app.openapi(trace, async (c) => {
    requireOfficer(c);
    const { now } = c.req.valid('query');
    return c.json((await caughtUp()).trace(c.req.valid('param').id, now), 200);
  });

  app.openapi(alerts, async (c) => {
    requireOfficer(c);
    const q = c.req.valid('query');
    const now = q.now ?? deps.clock();
    const rules = list(q.rule) as WatchRule[] | undefined;
    const items = (await caughtUp()).alerts({ now, ...(rules ? { rules } : {}), ...(q.carrierId ? { carrierId: q.carrierId } : {}) });
    return c.json({ now, items }, 200);
  });

  // The thresholds every act is judged by are no secret from the people judged by them.
  app.openapi(policy, async (c) => c.json((await caughtUp()).policy(c.req.valid('query').at ?? deps.clock()), 200));

  app.openapi(incidents, async (c) => {
    requireOfficer(c);
    const { format, carriers, ...window } = c.req.valid('query');
    const carrierIds = list(carriers);
    const projections = await caughtUp();
    const viewer = viewerOf(c);
    const signed = deps.checkpointer ? await deps.checkpointer.latest() : undefined;
    const report: IncidentReport = {
      ...projections.incident({ ...window, ...(carrierIds ? { carrierIds } : {}) }),
      // What ties the report to a state anyone can verify with the ledger's key.
      provenance: {
        ledgerId: ledger.ledgerId,
        checkpoint: signed
          ? { size: signed.checkpoint.size, root: Buffer.from(signed.checkpoint.root).toString('base64'), time: signed.checkpoint.time }
          : null,
        madeBy: { personId: viewer.id, name: viewer.name },
      },
    };
    if (format === 'json') return c.json(report, 200);
    // The typed response documents JSON; the readable formats are text of the same report.
    return c.body(projections.renderIncident(report, format), 200, { 'content-type': CONTENT_TYPES[format] }) as never;
  });
}
