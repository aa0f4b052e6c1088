import { createRoute } from '@hono/zod-openapi';
import { NotFound } from '../../domain/errors.js';
import { isRegistered } from '../../domain/carrier/state.js';
import type { Person } from '../../domain/person/state.js';
import { mayReadHoldingsOf } from '../access.js';
import { forbidden } from '../problems.js';
import { HoldingsResponse, InboxResponse, PersonParams, PersonsResponse, PersonView } from '../schemas.js';
import { inboxItem, personView } from '../views.js';
import { bearer, jsonContent, jsonText, problemResponses, viewerOf, type ApiDeps, type App } from '../deps.js';

const person = createRoute({
  method: 'get',
  path: '/persons/{id}',
  summary: "A person's public record: name, unit, clearance, roles, status, keys",
  security: bearer,
  request: { params: PersonParams },
  responses: { 200: { description: 'The person', content: jsonContent(PersonView) }, ...problemResponses(400, 401, 404) },
});

const persons = createRoute({
  method: 'get',
  path: '/persons',
  summary: 'Everyone enrolled, by id: the public record of each (name, unit, clearance, roles, status, keys)',
  security: bearer,
  responses: { 200: { description: 'The people', content: jsonContent(PersonsResponse) }, ...problemResponses(401) },
});

const holdings = createRoute({
  method: 'get',
  path: '/persons/{id}/holdings',
  summary: 'The carriers a person holds now (your own; anyone\'s for security officers and investigators)',
  security: bearer,
  request: { params: PersonParams },
  responses: {
    200: { description: 'The carriers held', content: jsonContent(HoldingsResponse) },
    ...problemResponses(400, 401, 403, 404),
  },
});

const inbox = createRoute({
  method: 'get',
  path: '/inbox',
  summary: 'Acts waiting for your signature, oldest first, each with a summary in words',
  security: bearer,
  responses: { 200: { description: 'Your inbox', content: jsonContent(InboxResponse) }, ...problemResponses(401) },
});

export function registerPersonRoutes(app: App, deps: ApiDeps): void {
  const { ledger, cosign, carrierJson } = deps;

  function enrolled(id: string): Person {
    const state = ledger.model.persons.get(id);
    if (!state || state.status === 'none') throw new NotFound('person', id);
    return state;
  }

  app.openapi(person, (c) => c.json(personView(enrolled(c.req.valid('param').id)), 200));

  // Any enrolled person may read anyone's public record (GET /persons/{id}); the list is the same records.
  app.openapi(persons, (c) => {
    const items = [...ledger.model.persons.values()].filter((p) => p.status !== 'none').sort((a, b) => (a.id < b.id ? -1 : 1));
    return c.json({ items: items.map(personView) }, 200);
  });

  app.openapi(holdings, (c) => {
    const { id } = c.req.valid('param');
    const viewer = viewerOf(c);
    if (!mayReadHoldingsOf(viewer, id)) throw forbidden('only security officers and investigators read the holdings of others');
    enrolled(id);
    const carriers = [...(ledger.model.holdings.get(id) ?? [])]
      .sort()
      .flatMap((carrierId) => {
        const state = ledger.model.carriers.get(carrierId);
        return state && isRegistered(state) ? [carrierJson(state)] : [];
      });
    return jsonText(c, `{"items":[${carriers.join(',')}]}`);
  });

  app.openapi(inbox, async (c) => {
    const viewer = viewerOf(c);
    const items = (await cosign.awaiting(viewer.id)).map((record) => inboxItem(record, viewer.id));
    return c.json({ items }, 200);
  });
}
