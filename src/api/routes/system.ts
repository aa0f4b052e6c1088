import { createRoute } from '@hono/zod-openapi';
import { problem, problemResponse } from '../problems.js';
import { Health, LedgerInfo, Ready } from '../schemas.js';
import { jsonContent, problemResponses, type ApiDeps, type App } from '../deps.js';

const health = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness: the process answers',
  responses: { 200: { description: 'Alive', content: jsonContent(Health) } },
});

const ready = createRoute({
  method: 'get',
  path: '/ready',
  summary: 'Readiness: the event store answers; position is its head (a decimal string)',
  responses: {
    200: { description: 'Ready', content: jsonContent(Ready) },
    ...problemResponses(503),
  },
});

const ledgerInfo = createRoute({
  method: 'get',
  path: '/ledger',
  summary: "The ledger's id (what every act and login signs) and its public key",
  responses: { 200: { description: 'The ledger', content: jsonContent(LedgerInfo) } },
});

export function registerSystemRoutes(app: App, { store, ledger, ledgerPublicKey }: ApiDeps): void {
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(ledgerInfo, (c) => c.json({ ledgerId: ledger.ledgerId, publicKey: ledgerPublicKey }, 200));
  app.openapi(ready, async (c) => {
    try {
      const position = await store.headPosition();
      return c.json({ ready: true as const, position: String(position) }, 200);
    } catch {
      return problemResponse(problem('not-ready', 'the event store does not answer')) as never;
    }
  });
}
