import { createRoute } from '@hono/zod-openapi';
import { NotFound } from '../../domain/errors.js';
import type { Person } from '../../domain/person/state.js';
import { actIdOf } from '../../ledger/envelope.js';
import type { SignedAct } from '../../domain/act.js';
import { hiddenCarrierOf, maySeeAct, vouchedForBy } from '../access.js';
import { unauthorized } from '../problems.js';
import {
  ActIdParams,
  ActView,
  AppendedResponse,
  DeclinedResponse,
  DeclineRequest,
  PendingResponse,
  PrepareRequest,
  PrepareResponse,
  SignatureRequest,
  SubmitRequest,
} from '../schemas.js';
import { actView } from '../views.js';
import { bearer, jsonContent, problemResponses, viewerOf, type ApiDeps, type App } from '../deps.js';

const outcomeResponses = {
  201: { description: 'Every signer has signed: appended to the ledger', content: jsonContent(AppendedResponse) },
  202: { description: 'Waiting in the co-signing inbox for the missing signers', content: jsonContent(PendingResponse) },
};

const prepare = createRoute({
  method: 'post',
  path: '/acts/prepare',
  summary: 'Decide a command at the current heads and return the act every signer must sign',
  description: 'Nothing is stored. Without a token only an EnrolPerson, and only while the ledger has nobody enrolled.',
  security: bearer,
  request: { body: { required: true, content: jsonContent(PrepareRequest) } },
  responses: {
    200: { description: 'The unsigned act, its id and its signers', content: jsonContent(PrepareResponse) },
    ...problemResponses(400, 401, 404, 413, 415, 422),
  },
});

const submit = createRoute({
  method: 'post',
  path: '/acts',
  summary: 'Submit a signed act: appended when complete, else it waits for the missing signers',
  description:
    'Every signature present is verified at once (a bad one is refused, L-2). Submitting an act that already waits merges the signatures. ' +
    'Without a token only the first, self-signed EnrolPerson of a security officer on an empty ledger.',
  security: bearer,
  request: { body: { required: true, content: jsonContent(SubmitRequest) } },
  responses: { ...outcomeResponses, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503) },
});

const getAct = createRoute({
  method: 'get',
  path: '/acts/{actId}',
  summary: 'A submitted act and where it stands (its signers, security officers and investigators only)',
  security: bearer,
  request: { params: ActIdParams },
  responses: { 200: { description: 'The act', content: jsonContent(ActView) }, ...problemResponses(400, 401, 404) },
});

const addSignature = createRoute({
  method: 'post',
  path: '/acts/{actId}/signatures',
  summary: 'Add one signature to a waiting act; appended the moment the last one arrives',
  security: bearer,
  request: { params: ActIdParams, body: { required: true, content: jsonContent(SignatureRequest) } },
  responses: { ...outcomeResponses, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503) },
});

const decline = createRoute({
  method: 'post',
  path: '/acts/{actId}/decline',
  summary: 'Refuse to sign a waiting act (one of its signers): it will never be appended',
  security: bearer,
  request: { params: ActIdParams, body: { required: true, content: jsonContent(DeclineRequest) } },
  responses: {
    200: { description: 'Declined', content: jsonContent(DeclinedResponse) },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503),
  },
});

export function registerActRoutes(app: App, deps: ApiDeps): void {
  const { ledger, cosign } = deps;

  /** A command about a carrier the viewer may not see is answered as if the carrier did not exist. */
  function requireVisibleCarriers(command: unknown, viewer: Person): void {
    const hidden = hiddenCarrierOf(command, viewer, ledger.model.carriers, ledger.policy);
    if (hidden !== undefined) throw new NotFound('carrier', hidden);
  }

  /**
   * Tokenless enrolments run one at a time, each checking that the ledger is still empty: two
   * founders racing would otherwise both be decided against the empty directory (their person
   * streams differ, so the store would not see a conflict).
   */
  let firstEnrolmentTail: Promise<unknown> = Promise.resolve();
  function firstEnrolment<T>(submitIt: () => Promise<T>): Promise<T> {
    const run = firstEnrolmentTail.then(() => {
      if (!deps.firstEnrolmentOpen()) throw unauthorized();
      return submitIt();
    });
    firstEnrolmentTail = run.catch(() => undefined);
    return run;
  }

  /** Nobody can log in before somebody is enrolled: the first enrolment comes without a token. */
  function requireViewerOrFirstEnrolment(viewer: Person | undefined, commandType: string): void {
    if (viewer === undefined && commandType !== 'EnrolPerson') throw unauthorized();
  }

  /**
   * A signed act about carriers the viewer may not see is accepted from them only if it already
   * waits in the inbox (someone who could see them submitted it) or another signer who may see them
   * signed it; otherwise it is answered as if those carriers did not exist.
   */
  async function requireVisibleOrVouched(signed: SignedAct, viewer: Person): Promise<void> {
    const hidden = hiddenCarrierOf(signed.act.command, viewer, ledger.model.carriers, ledger.policy);
    if (hidden === undefined || !signed.act.signers.includes(viewer.id)) return requireVisibleCarriers(signed.act.command, viewer);
    if (vouchedForBy(signed, viewer, ledger, deps.verifier)) return;
    if ((await cosign.find(actIdOf(signed.act))) !== undefined) return;
    throw new NotFound('carrier', hidden);
  }

  async function visibleRecord(actId: string, viewer: Person) {
    const record = await cosign.find(actId);
    if (!record || !maySeeAct(viewer, record)) throw new NotFound('act', actId);
    return record;
  }

  app.openapi(prepare, (c) => {
    const { command } = c.req.valid('json');
    const viewer = c.get('viewer');
    requireViewerOrFirstEnrolment(viewer, command.type);
    if (viewer) requireVisibleCarriers(command, viewer);
    const act = ledger.prepare(command);
    return c.json({ actId: actIdOf(act), act, signers: act.signers }, 200);
  });

  app.openapi(submit, async (c) => {
    const signed = c.req.valid('json');
    const viewer = c.get('viewer');
    requireViewerOrFirstEnrolment(viewer, signed.act.command.type);
    if (viewer) await requireVisibleOrVouched(signed, viewer);
    const outcome = viewer ? await cosign.submit(signed, viewer.id) : await firstEnrolment(() => cosign.submit(signed, null));
    return outcome.status === 'appended' ? c.json(outcome, 201) : c.json(outcome, 202);
  });

  app.openapi(getAct, async (c) => {
    const { actId } = c.req.valid('param');
    return c.json(actView(await visibleRecord(actId, viewerOf(c))), 200);
  });

  app.openapi(addSignature, async (c) => {
    const { actId } = c.req.valid('param');
    const viewer = viewerOf(c);
    await visibleRecord(actId, viewer);
    const outcome = await cosign.addSignature(actId, c.req.valid('json'), viewer.id);
    return outcome.status === 'appended' ? c.json(outcome, 201) : c.json(outcome, 202);
  });

  app.openapi(decline, async (c) => {
    const { actId } = c.req.valid('param');
    const viewer = viewerOf(c);
    await visibleRecord(actId, viewer);
    await cosign.decline(actId, viewer.id, c.req.valid('json').reason);
    return c.json({ status: 'declined' as const, actId }, 200);
  });
}
