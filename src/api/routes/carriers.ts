import { createRoute } from '@hono/zod-openapi';
import { NotFound, ValidationError } from '../../domain/errors.js';
import { carrierStream } from '../../domain/act.js';
import { isRegistered, type Carrier } from '../../domain/carrier/state.js';
import type { Person } from '../../domain/person/state.js';
import { maySeeCarrier } from '../access.js';
import { validationHook } from '../problems.js';
import { CarrierList, CarrierParams, CarrierQuery, CarrierView, HistoryResponse } from '../schemas.js';
import { historyItem } from '../views.js';
import { bearer, jsonContent, jsonText, problemResponses, viewerOf, type ApiDeps, type App } from '../deps.js';

const list = createRoute({
  method: 'get',
  path: '/carriers',
  summary: 'Carriers you may see, filtered, in id order, a page at a time',
  security: bearer,
  request: { query: CarrierQuery },
  responses: {
    200: { description: 'A page of carriers; pass nextCursor as cursor for the next', content: jsonContent(CarrierList) },
    ...problemResponses(400, 401),
  },
});

const one = createRoute({
  method: 'get',
  path: '/carriers/{id}',
  summary: 'A carrier: status, holder(s), location, classification, since when',
  security: bearer,
  request: { params: CarrierParams },
  responses: { 200: { description: 'The carrier', content: jsonContent(CarrierView) }, ...problemResponses(400, 401, 404) },
});

const history = createRoute({
  method: 'get',
  path: '/carriers/{id}/history',
  summary: "A carrier's events in order, each with its act, signers and signatures",
  security: bearer,
  request: { params: CarrierParams },
  responses: { 200: { description: 'The history', content: jsonContent(HistoryResponse) }, ...problemResponses(400, 401, 404) },
});

/** Cursors are opaque to clients: the last id of the page, base64url. */
const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export function registerCarrierRoutes(app: App, deps: ApiDeps): void {
  const { ledger, store, carrierJson } = deps;

  /** The carrier, if it exists and the viewer may see it; otherwise the same 404 either way. */
  function visibleCarrier(id: string, viewer: Person): Carrier {
    const state = ledger.model.carriers.get(id);
    if (!state || !isRegistered(state) || !maySeeCarrier(viewer, state, ledger.policy)) throw new NotFound('carrier', id);
    return state;
  }

  // The hottest route skips the generic validator middleware, which reads (and so builds) every
  // request header; the id is parsed by the same schema here, and a bad one is the same 400.
  app.openAPIRegistry.registerPath(one);
  app.get('/carriers/:id', (c) => {
    const parsed = CarrierParams.safeParse({ id: c.req.param('id') });
    if (!parsed.success) return validationHook({ success: false, error: parsed.error, target: 'param' })!;
    return jsonText(c, carrierJson(visibleCarrier(parsed.data.id, viewerOf(c))));
  });

  app.openapi(history, async (c) => {
    const { id } = c.req.valid('param');
    visibleCarrier(id, viewerOf(c));
    const items = (await store.readStream(carrierStream(id))).map(historyItem);
    return c.json({ items }, 200);
  });

  app.openapi(list, (c) => {
    const viewer = viewerOf(c);
    const q = c.req.valid('query');
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (after !== undefined && after.length === 0) {
      throw new ValidationError('invalid query', [{ path: ['cursor'], code: 'custom', message: 'not a cursor from a previous page' }]);
    }
    const matches: Carrier[] = [];
    for (const state of ledger.model.carriers.values()) {
      if (!isRegistered(state) || (after !== undefined && state.id <= after)) continue;
      if (q.holder !== undefined && !state.holders.includes(q.holder)) continue;
      if (q.location !== undefined && state.location !== q.location) continue;
      if (q.status !== undefined && state.status !== q.status) continue;
      if (q.classification !== undefined && state.description.classification !== q.classification) continue;
      if (q.kind !== undefined && state.description.kind !== q.kind) continue;
      if (!maySeeCarrier(viewer, state, ledger.policy)) continue;
      matches.push(state);
    }
    matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const page = matches.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = matches.length > q.limit && last ? encodeCursor(last.id) : null;
    // The page is spliced from the cached texts of each carrier, not re-serialised.
    return jsonText(c, `{"items":[${page.map(carrierJson).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
  });
}
