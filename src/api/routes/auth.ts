import { createRoute } from '@hono/zod-openapi';
import { ChallengeRequest, ChallengeResponse, TokenRequest, TokenResponse } from '../schemas.js';
import { jsonContent, problemResponses, type ApiDeps, type App } from '../deps.js';
import { problem, problemResponse } from '../problems.js';

const challenge = createRoute({
  method: 'post',
  path: '/auth/challenge',
  summary: 'A single-use challenge (valid 2 minutes) to sign with your key',
  description:
    'Sign `"custody-ledger/login/v1\\n" + canonicalJson({ ledger: ledgerId, personId, challenge })` with Ed25519 and exchange it at /auth/token.',
  request: { body: { required: true, content: jsonContent(ChallengeRequest) } },
  responses: {
    200: { description: 'The challenge, its expiry and the ledger id to sign it for', content: jsonContent(ChallengeResponse) },
    ...problemResponses(400, 413, 415, 429),
  },
});

const token = createRoute({
  method: 'post',
  path: '/auth/token',
  summary: 'Exchange a signed challenge for a bearer token (default 15 minutes)',
  request: { body: { required: true, content: jsonContent(TokenRequest) } },
  responses: {
    200: { description: 'A bearer token', content: jsonContent(TokenResponse) },
    ...problemResponses(400, 401, 413, 415),
  },
});

export function registerAuthRoutes(app: App, { sessions, clientOf }: ApiDeps): void {
  app.openapi(challenge, (c) => {
    const issued = sessions.challenge(c.req.valid('json').personId, clientOf(c));
    if ('refused' in issued) {
      return problemResponse(problem('too-many-requests', issued.refused), { 'retry-after': String(issued.retryAfterSeconds) }) as never;
    }
    return c.json(issued, 200);
  });
  app.openapi(token, (c) => c.json(sessions.token(c.req.valid('json')), 200));
}
