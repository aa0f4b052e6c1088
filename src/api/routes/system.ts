import { createRoute } from '@hono/zod-openapi';
import { StoreUnavailable } from '../../store/unavailable.js';
import { problem, problemResponse, UNAVAILABLE_WHY } from '../problems.js';
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
  summary: 'Readiness: the ledger can append now (its files take writes, its disk has room); position is its head (a decimal string)',
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

export function registerSystemRoutes(app: App, { store, ledger, ledgerPublicKey, appendable, log }: ApiDeps): void {
  // A load balancer asks every few seconds: the log hears of a change of state, not of every probe.
  let lastFault: string | undefined;
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(ledgerInfo, (c) => c.json({ ledgerId: ledger.ledgerId, publicKey: ledgerPublicKey }, 200));
  app.openapi(ready, async (c) => {
    let position: bigint;
    try {
      position = await store.headPosition();
    } catch {
      return problemResponse(problem('not-ready', 'the event store does not answer')) as never;
    }
    try {
      await appendable();
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      if (error.message !== lastFault) log(error);
      lastFault = error.message;
      return problemResponse(problem('not-ready', `the ledger cannot append now: ${UNAVAILABLE_WHY[error.reason]}`, { reason: error.reason })) as never;
    }
    lastFault = undefined;
    return c.json({ ready: true as const, position: String(position) }, 200);
  });
}
