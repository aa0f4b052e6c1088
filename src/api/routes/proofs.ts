import { PassThrough, Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { NotFound, ValidationError } from '../../domain/errors.js';
import { isRegistered } from '../../domain/carrier/state.js';
import { hasRole, type Person } from '../../domain/person/state.js';
import { consistencyProofOf, cosignRequestFor, exportCarrierBundle, inclusionProofOf, writeLedgerBundle, type Checkpointer, type CheckpointSource } from '../../verify/index.js';
import { CheckpointPending } from '../../verify/checkpoint/checkpointer.js';
import { maySeeCarrier, seesEverything } from '../access.js';
import { forbidden, HttpProblem } from '../problems.js';
import { CarrierParams } from '../schemas.js';
import { bearer, jsonContent, problemResponses, viewerOf, type ApiDeps, type App } from '../deps.js';
import {
  BundleQuery,
  BundleView,
  CheckpointList,
  CheckpointView,
  checkpointView,
  ConsistencyProofView,
  ConsistencyQuery,
  CosignatureRequest,
  CosignQuery,
  CosignRequestView,
  InclusionProofView,
  InclusionQuery,
  SizeParams,
} from './proof-schemas.js';

/**
 * Verifiable by anyone (L-3): the ledger's signed checkpoints, inclusion and consistency proofs
 * against them, witnesses' cosignatures, and the bundles investigators verify offline with
 * `custody verify`. Everything here is evidence the client checks against keys it already trusts;
 * the server's word adds nothing to it. Access follows the reads: a carrier you may not see is
 * answered like one that does not exist, and the whole ledger is for those who see everything.
 */

const TEXT = 'text/plain; charset=utf-8';
const NDJSON = 'application/x-ndjson';
const route = <const R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ security: bearer, ...r });

const latest = route({
  method: 'get',
  path: '/checkpoints/latest',
  summary: 'The latest signed checkpoint (C2SP signed note) with the cosignatures it has received',
  responses: { 200: { description: 'The signed note', content: { [TEXT]: { schema: z.string() } } }, ...problemResponses(401, 404, 503) },
});
const list = route({
  method: 'get',
  path: '/checkpoints',
  summary: 'Every checkpoint the ledger signed, oldest first, each with its cosignatures',
  responses: { 200: { description: 'The checkpoints', content: jsonContent(CheckpointList) }, ...problemResponses(401, 500, 503) },
});
const take = route({
  method: 'post',
  path: '/checkpoints',
  summary: 'Take a checkpoint now (security officers); the latest one if nothing was appended since',
  responses: { 200: { description: 'The checkpoint', content: jsonContent(CheckpointView) }, ...problemResponses(401, 403, 500, 503) },
});
const inclusion = route({
  method: 'get',
  path: '/proofs/inclusion',
  summary: 'Proof that event `revision` of `stream` is in the checkpoint of `size` leaves (default: the latest)',
  request: { query: InclusionQuery },
  responses: { 200: { description: 'The inclusion proof (RFC 9162)', content: jsonContent(InclusionProofView) }, ...problemResponses(400, 401, 404, 503) },
});
const consistency = route({
  method: 'get',
  path: '/proofs/consistency',
  summary: 'Proof that the checkpoint of `second` leaves (default: the latest) extends the one of `first`',
  request: { query: ConsistencyQuery },
  responses: { 200: { description: 'The consistency proof (RFC 9162)', content: jsonContent(ConsistencyProofView) }, ...problemResponses(400, 401, 404, 503) },
});
const cosignRequest = route({
  method: 'get',
  path: '/checkpoints/cosign-request',
  summary: 'For a witness that cosigned `from` leaves: the latest checkpoint and the proof it extends that one',
  request: { query: CosignQuery },
  responses: { 200: { description: 'What the witness checks before cosigning', content: jsonContent(CosignRequestView) }, ...problemResponses(400, 401, 500, 503) },
});
const cosign = route({
  method: 'post',
  path: '/checkpoints/{size}/cosignatures',
  summary: "Record a witness's cosignature line (cosignature/v1) on the checkpoint of `size`; only configured witnesses' lines",
  request: { params: SizeParams, body: { required: true, content: jsonContent(CosignatureRequest) } },
  responses: { 201: { description: 'The checkpoint with the cosignature', content: jsonContent(CheckpointView) }, ...problemResponses(400, 401, 404, 409, 413, 415, 503) },
});
const carrierBundle = route({
  method: 'get',
  path: '/carriers/{id}/bundle',
  summary: "A carrier's bundle for `custody verify`: its events and lineage, every person's keys, proofs, the newest checkpoint covering them (never signed for the reader)",
  request: { params: CarrierParams, query: BundleQuery },
  responses: { 200: { description: 'The bundle', content: jsonContent(BundleView) }, ...problemResponses(400, 401, 403, 404, 500, 503) },
});
const ledgerBundle = route({
  method: 'get',
  path: '/bundle',
  summary: 'The whole ledger as a bundle (security officers and investigators): a header line, then one event per line',
  request: { query: BundleQuery },
  responses: { 200: { description: 'JSON lines', content: { [NDJSON]: { schema: z.string() } } }, ...problemResponses(401, 403, 500, 503) },
});

export function registerProofRoutes(app: App, deps: ApiDeps): void {
  const { ledger, store, clock } = deps;
  const exportOptions = (checkpointer: Checkpointer, known?: string) => ({
    store,
    checkpointer,
    clock,
    policyName: ledger.basePolicy.name,
    ...(known === undefined ? {} : { knownSizes: known.split(',').map(Number) }),
  });

  function checkpointerOrRefuse(): Checkpointer {
    if (deps.checkpointer) return deps.checkpointer;
    throw new HttpProblem('not-ready', 'this server signs no checkpoints: it runs without the ledger key');
  }

  /** A carrier stream the viewer may not see is refused exactly like one that does not exist. */
  function requireVisibleStream(stream: string, viewer: Person, notFound: NotFound): void {
    if (!stream.startsWith('carrier-')) return;
    const state = ledger.model.carriers.get(stream.slice('carrier-'.length));
    if (state && isRegistered(state) && !maySeeCarrier(viewer, state, ledger.policy)) throw notFound;
  }

  app.openapi(latest, async (c) => {
    const signed = await checkpointerOrRefuse().latest();
    if (!signed) {
      throw new HttpProblem('not-found', 'no checkpoint signed yet: the server signs one periodically once events are recorded, or a security officer takes one (POST /checkpoints)');
    }
    return c.text(signed.note, 200);
  });

  app.openapi(list, async (c) => c.json({ items: (await checkpointerOrRefuse().all()).map(checkpointView) }, 200));

  app.openapi(take, async (c) => {
    if (!hasRole(viewerOf(c), 'security-officer')) {
      throw forbidden('only a security officer takes a checkpoint on demand; the server also takes one periodically');
    }
    return c.json(checkpointView(await checkpointerOrRefuse().checkpoint()), 200);
  });

  app.openapi(inclusion, async (c) => {
    const { stream, revision, size } = c.req.valid('query');
    requireVisibleStream(stream, viewerOf(c), new NotFound('event', `${stream}@${revision}`));
    return c.json(await inclusionProofOf(checkpointerOrRefuse(), store, { stream, revision }, size), 200);
  });

  app.openapi(consistency, async (c) => {
    const { first, second } = c.req.valid('query');
    return c.json(await asQueryError('first', () => consistencyProofOf(checkpointerOrRefuse(), first, second)), 200);
  });

  app.openapi(cosignRequest, async (c) => {
    const { from } = c.req.valid('query');
    return c.json(await untilCovered(() => asQueryError('from', () => cosignRequestFor(checkpointerOrRefuse(), from))), 200);
  });

  app.openapi(cosign, async (c) => {
    const checkpointer = checkpointerOrRefuse();
    const { size } = c.req.valid('param');
    // The checkpointer reads an unknown size as a refusal; to the caller it is simply not there.
    if (!(await checkpointer.all()).some((signed) => signed.checkpoint.size === size)) throw new NotFound('checkpoint', `of size ${size}`);
    return c.json(checkpointView(await checkpointer.cosign(size, c.req.valid('json').line)), 201);
  });

  app.openapi(carrierBundle, async (c) => {
    const { id } = c.req.valid('param');
    const viewer = viewerOf(c);
    const hidden = lineageOf(id).find((carrier) => {
      const state = ledger.model.carriers.get(carrier);
      return !state || !isRegistered(state) || !maySeeCarrier(viewer, state, ledger.policy);
    });
    if (hidden === id) throw new NotFound('carrier', id);
    // A carrier its lineage names but the ledger does not hold is a missing stream, not a matter of access.
    const missing = lineageOf(id).find((carrier) => !ledger.model.carriers.has(carrier));
    if (missing !== undefined) {
      throw new HttpProblem('history-changed', `the lineage of ${id} names carrier ${missing}, whose stream is missing from the ledger: its bundle cannot be complete (run custody verify --ledger)`);
    }
    // The lineage's events travel in the bundle (the verifier needs them): all of it must be visible.
    if (hidden !== undefined) {
      throw forbidden(`the bundle of ${id} carries its whole lineage, and you may not see ${hidden}: ask a security officer or an investigator for it`);
    }
    const checkpointer = checkpointerOrRefuse();
    // Against the newest checkpoint covering the carrier's events: a read never signs (issue 16 hole 5).
    const options = { ...exportOptions(checkpointer, c.req.valid('query').known), checkpointer: checkpointer.covering() };
    return c.json(await untilCovered(() => exportCarrierBundle(id, options)), 200);
  });

  app.openapi(ledgerBundle, async (c) => {
    if (!seesEverything(viewerOf(c))) throw forbidden('the whole ledger is for security officers and investigators');
    const checkpointer = checkpointerOrRefuse();
    // Found before the first byte is sent, so a refusal is still a problem response, not a cut stream.
    // The newest checkpoint covering everything recorded so far, waiting for the schedule's: never signed here.
    const signed = await untilCovered(() => checkpointer.withCovering((log) => log.tree.size(), (found) => found));
    const covering: CheckpointSource = {
      ...checkpointer.covering(),
      withCheckpoint: (task) => checkpointer.withCovering(() => signed.checkpoint.size, task),
    };
    const out = new ClientPipe();
    writeLedgerBundle(out, { ...exportOptions(checkpointer, c.req.valid('query').known), checkpointer: covering }).then(
      () => out.end(),
      (error: unknown) => {
        if (error instanceof ClientGone) return;
        // The status line is sent: cutting the stream is all that is left, and the verifier reports a short bundle.
        deps.log(error);
        out.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return c.body(Readable.toWeb(out) as unknown as ReadableStream, 200, {
      'content-type': NDJSON,
      'content-disposition': `attachment; filename="${ledger.ledgerId}-${signed.checkpoint.size}.jsonl"`,
    }) as never;
  });

  /** The carrier, the carriers it was copied from, and the copies made of it (and theirs): what its bundle holds. */
  function lineageOf(carrierId: string): string[] {
    const found = new Set<string>();
    const queue = [carrierId];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (found.has(id)) continue;
      found.add(id);
      const state = ledger.model.carriers.get(id);
      if (state && isRegistered(state)) queue.push(...(state.parentId === null ? [] : [state.parentId]), ...state.copies);
    }
    return [...found];
  }
}

/** No checkpoint covers the events yet, and none came in time: the reader retries (503 with Retry-After). */
async function untilCovered<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CheckpointPending) throw new HttpProblem('not-ready', error.message);
    throw error;
  }
}

/** The proof library refuses impossible ranges with RangeError; here that is the query's fault, named by field. */
async function asQueryError<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RangeError) throw new ValidationError('invalid query', [{ path: [field], code: 'custom', message: error.message }]);
    throw error;
  }
}

class ClientGone extends Error {
  override readonly name = 'ClientGone';
}

/**
 * The body of a streamed bundle. A client that hangs up destroys it; the writer, possibly waiting
 * for a 'drain' that will never come, is woken and its next write fails, so it stops reading the store.
 */
class ClientPipe extends PassThrough {
  constructor() {
    super();
    this.once('close', () => this.emit('drain'));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the overloads of Writable.write, passed through
  override write(chunk: unknown, encoding?: any, callback?: any): boolean {
    if (this.destroyed) throw new ClientGone('the client closed the connection before the bundle was sent');
    return super.write(chunk, encoding, callback);
  }
}
