import type { Context } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Carrier } from '../domain/carrier/state.js';
import type { Person } from '../domain/person/state.js';
import type { IsoTime } from '../domain/primitives.js';
import type { Verifier } from '../crypto/ed25519.js';
import type { Ledger } from '../ledger/ledger.js';
import type { EventStore } from '../store/port.js';
import type { Cosigning } from '../inbox/cosign.js';
import type { Checkpointer } from '../verify/checkpoint/checkpointer.js';
import type { ProjectionSet } from '../projections/index.js';
import type { ReadLog } from '../audit/read-log.js';
import type { Sessions } from './auth.js';
import { Problem, PROBLEM_MEDIA_TYPE, unauthorized } from './problems.js';

/** What every route module is given: the app is wired once, in createApp, never through module state. */
export type ApiDeps = {
  ledger: Ledger;
  store: EventStore;
  cosign: Cosigning;
  sessions: Sessions;
  clock: () => IsoTime;
  verifier: Verifier;
  /** The ledger's own public key (it signs checkpoints), when the app runs over a ledger home. */
  ledgerPublicKey: string | null;
  /** The cached JSON text of a carrier's view (see views.ts). */
  carrierJson: (carrier: Carrier) => string;
  /** Signs checkpoints and serves proofs and bundles; null when the app runs without the ledger key. */
  checkpointer: Checkpointer | null;
  /** The read models behind the investigation routes; null when the app runs without them (503). */
  projections: ProjectionSet | null;
  /** Who sent a request, for the bounds on login challenges: its address (see AppOptions.trustForwardedFor). */
  clientOf: (c: Context<AppEnv>) => string;
  /** Resolves when the ledger (store and inbox) could record an act now; else throws StoreUnavailable saying why. */
  appendable: () => Promise<void>;
  /** Where failures go that happen after a response has started (a streamed bundle). */
  log: (error: unknown) => void;
  /** Who read which carrier (GET /audit/reads); null when the app keeps none (503). */
  readLog: ReadLog | null;
  /** Whether the tokenless first enrolment of a security officer is still possible. */
  firstEnrolmentOpen: () => boolean;
};

/** `viewer` is the person the bearer token belongs to; absent only for the first enrolment. */
export type AppEnv = { Variables: { viewer: Person | undefined } };
export type App = OpenAPIHono<AppEnv>;

export function viewerOf(c: Context<AppEnv>): Person {
  const viewer = c.get('viewer');
  if (!viewer) throw unauthorized();
  return viewer;
}

const DESCRIPTIONS = {
  400: 'Malformed JSON, or input that does not match the schema (`issues` names each field)',
  401: 'No valid bearer token',
  403: 'Authenticated, but not one of the act\'s signers, or not allowed to read this',
  404: 'Not found, or not visible to you (the two are answered alike)',
  409: 'Stale head, concurrent change, an act no longer pending, or a cosignature by no configured witness',
  413: 'Request body over 1 MiB',
  415: 'Request body not sent as application/json',
  422: 'A rule refused the act (`rule` names it), or its time was refused',
  429: 'Too many login challenges outstanding from this client (or in all): ask again after Retry-After seconds',
  500: 'Recorded history was changed under the ledger (it refuses to sign a checkpoint), or an unexpected failure',
  503: 'The event store does not answer, the ledger cannot record now (`reason`: locked, read-only, disk-full, io-error; see Retry-After), or this server signs no checkpoints (it runs without the ledger key)',
} as const;

/** The problem responses a route documents, each `application/problem+json`. */
export function problemResponses<const S extends keyof typeof DESCRIPTIONS>(...statuses: S[]) {
  const responses = {} as Record<S, { description: string; content: { [PROBLEM_MEDIA_TYPE]: { schema: typeof Problem } } }>;
  for (const status of statuses) {
    responses[status] = { description: DESCRIPTIONS[status], content: { [PROBLEM_MEDIA_TYPE]: { schema: Problem } } };
  }
  return responses;
}

export const jsonContent = <T>(schema: T) => ({ 'application/json': { schema } });

export const bearer = [{ bearerAuth: [] }];

/**
 * A JSON body that is already text (the carrier cache). The cast tells the route's typed response
 * what the text holds; the text was produced from a value of that type.
 */
export const jsonText = (c: Context, text: string, status: 200 = 200): never =>
  c.body(text, status, { 'content-type': 'application/json' }) as never;
