import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { IsoTime } from '../domain/primitives.js';
import { createVerifier, type Verifier } from '../crypto/ed25519.js';
import type { Ledger } from '../ledger/ledger.js';
import type { EventStore } from '../store/port.js';
import { createCosigning } from '../inbox/cosign.js';
import type { Inbox } from '../inbox/port.js';
import type { ProjectionSet } from '../projections/index.js';
import type { Checkpointer } from '../verify/checkpoint/checkpointer.js';
import { createSessions, type ChallengeLimits, type Sessions } from './auth.js';
import { errorHandler, problem, problemResponse, unauthorized, validationHook } from './problems.js';
import { createCarrierJsonCache } from './views.js';
import { guardJsonBodies } from './json-body.js';
import { serveWebApp } from '../server/web-app.js';
import type { AppEnv } from './deps.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerActRoutes } from './routes/acts.js';
import { registerCarrierRoutes } from './routes/carriers.js';
import { registerPersonRoutes } from './routes/persons.js';
import { registerProofRoutes } from './routes/proofs.js';
import { registerInvestigationRoutes } from './routes/investigations.js';
import { registerAuditRoutes } from './routes/audit.js';
import { recordReads } from './read-log-hook.js';
import type { ReadLog } from '../audit/read-log.js';

/** `projections`: the read models; without them, the investigation routes answer 503. */
export type AppParts = { ledger: Ledger; store: EventStore; inbox: Inbox; projections?: ProjectionSet };

/**
 * `firstEnrolmentOpen`: whether the tokenless first enrolment is still possible (the ledger home says:
 * never once its key signed a checkpoint over events). Default: while nobody is enrolled.
 */
export type AppOptions = (AppParts | { home: AppParts & { ledgerKey?: { publicKey: string }; firstEnrolmentOpen?: () => boolean } }) & {
  /** The time the API judges tokens, challenges and pending acts by. Default: the system clock. */
  clock?: () => IsoTime;
  /** Bearer token lifetime. Default 15 minutes. */
  tokenTtlMs?: number;
  verifier?: Verifier;
  /** Where unexpected errors (answered 500) are reported. Default: console.error. */
  log?: (error: unknown) => void;
  /** The ledger's checkpointer (the server makes it from the ledger key); without it, checkpoint routes answer 503. */
  checkpointer?: Checkpointer;
  /** Bounds on outstanding login challenges (see auth.ts). */
  challengeLimits?: Partial<ChallengeLimits>;
  /**
   * Behind a reverse proxy every request comes from the proxy's address: then the client is the last
   * address the proxy added to X-Forwarded-For. Only when a proxy that sets it is in front: anyone
   * else could claim any address.
   */
  trustForwardedFor?: boolean;
  /** Where the built web app is (served at `/`). Default: dist/web in the package. */
  webRoot?: string;
  /** Records who read which carrier (issue #18); without it nothing is recorded and GET /audit/reads answers 503. */
  readLog?: ReadLog;
};

export const MAX_BODY_BYTES = 1024 * 1024;

/** Paths anyone may call: liveness, readiness, the ledger's public identity, the API description, logging in. */
const PUBLIC_PATHS = new Set(['/health', '/ready', '/ledger', '/openapi.json', '/auth/challenge', '/auth/token']);
/** Before anyone is enrolled, nobody can log in: the first enrolment is prepared and submitted without a token. */
const FIRST_ENROLMENT_PATHS = new Set(['/acts', '/acts/prepare']);

/**
 * The HTTP API: hono with zod-validated routes, RFC 9457 problems for every refusal, bearer tokens
 * for everything but health, readiness, the API description and logging in.
 */
export function createApp(options: AppOptions) {
  const { ledger, store, inbox, projections } = 'home' in options ? options.home : options;
  const ledgerPublicKey = 'home' in options ? (options.home.ledgerKey?.publicKey ?? null) : null;
  const nobodyEnrolled = () => ledger.model.directory.size === 0;
  const homeSays = 'home' in options ? options.home.firstEnrolmentOpen : undefined;
  const firstEnrolmentOpen = homeSays ? () => nobodyEnrolled() && homeSays() : nobodyEnrolled;
  const clock = options.clock ?? (() => new Date().toISOString());
  const verifier = options.verifier ?? createVerifier();
  const log = options.log ?? ((error: unknown) => console.error(error));
  const sessions = createSessions({
    ledger,
    verifier,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.tokenTtlMs ? { tokenTtlMs: options.tokenTtlMs } : {}),
    ...(options.challengeLimits ? { challengeLimits: options.challengeLimits } : {}),
  });
  const deps = {
    ledger,
    store,
    sessions,
    clock,
    verifier,
    ledgerPublicKey,
    cosign: createCosigning({ ledger, store, inbox, clock }),
    carrierJson: createCarrierJsonCache(),
    checkpointer: options.checkpointer ?? null,
    projections: projections ?? null,
    clientOf: (c: Context<AppEnv>) => clientOf(c, options.trustForwardedFor ?? false),
    appendable: async () => {
      await store.appendable?.();
      await inbox.appendable?.();
    },
    log,
    firstEnrolmentOpen,
    readLog: options.readLog ?? null,
  };

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(errorHandler(log));
  app.notFound(() => problemResponse(problem('not-found', 'no such route')));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => problemResponse(problem('payload-too-large', 'the request body is larger than 1 MiB')),
  });
  // Only requests that may carry a body: on @hono/node-server, merely looking at a GET's body
  // builds a full fetch Request, which costs more than the rest of a carrier read.
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  // The web app's page and assets are public (the app logs in itself); the API behind them is not.
  app.use('*', serveWebApp(options.webRoot));
  app.use('*', authenticate(sessions, firstEnrolmentOpen));
  if (options.readLog) app.use('*', recordReads(options.readLog, clock));
  // After authentication: a caller without a token gets its 401 before the server reads the body.
  const guardBodies = guardJsonBodies();
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : guardBodies(c, next)));

  registerSystemRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerActRoutes(app, deps);
  registerCarrierRoutes(app, deps);
  registerPersonRoutes(app, deps);
  registerProofRoutes(app, deps);
  registerInvestigationRoutes(app, deps);
  registerAuditRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token from POST /auth/token',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'custody-ledger',
      version: '0.1.0',
      description: 'Signed chain-of-custody ledger for classified carriers. Errors are RFC 9457 problem details.',
    },
  });
  return app;
}

export type CustodyApp = ReturnType<typeof createApp>;

/**
 * On @hono/node-server the Node request is at hand: reading the one header there spares building a
 * fetch Headers object from every raw header, a large share of a carrier read. Elsewhere (tests'
 * app.request), the fetch request's header.
 */
function authorizationOf(c: Context<AppEnv>): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming ? incoming.headers.authorization : c.req.header('authorization');
}

/** The address a request came from (see AppOptions.trustForwardedFor); 'local' in-process, where there is none. */
function clientOf(c: Context<AppEnv>, trustForwardedFor: boolean): string {
  if (trustForwardedFor) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket.remoteAddress ?? 'local';
}

function authenticate(sessions: Sessions, firstEnrolmentOpen: () => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    if (PUBLIC_PATHS.has(path)) return next();
    const viewer = sessions.authenticate(authorizationOf(c));
    if (viewer) {
      c.set('viewer', viewer);
      return next();
    }
    if (firstEnrolmentOpen() && c.req.method === 'POST' && FIRST_ENROLMENT_PATHS.has(path)) return next();
    throw unauthorized();
  };
}
