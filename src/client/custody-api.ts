import { z } from 'zod';
import { ActSignature, UnsignedAct, type SignedAct } from '../domain/act.js';
import { signingBytes } from '../domain/canonical.js';
import { sign } from '../crypto/ed25519.js';
import { ApiProblem, ServerUnreachable, UnexpectedReply, createHttpClient, segment, type HttpClient, type HttpClientOptions } from './http.js';

/**
 * The custody HTTP API as typed calls. Replies are parsed with zod for the members the client relies
 * on; other members pass through untouched, so a newer server does not break an older client.
 */

/** What a login signature is for; the server's src/api/auth.ts uses the same (the client does not import the server). */
export const LOGIN_SIGNING_DOMAIN = 'custody-ledger/login/v1';

const Loose = z.looseObject({});

const Challenge = z.looseObject({
  challenge: z.string().min(1),
  expiresAt: z.string().optional(),
  ledger: z.string().optional(),
  ledgerId: z.string().optional(),
});
const Token = z.looseObject({ token: z.string().min(1), expiresAt: z.string() });
const LedgerInfo = z.looseObject({ ledgerId: z.string().min(1), publicKey: z.string().optional() });

export const Prepared = z.looseObject({ actId: z.string(), act: UnsignedAct, signers: z.array(z.string()).optional() });
export type Prepared = z.infer<typeof Prepared>;

const AppendedEvent = z.looseObject({ stream: z.string(), revision: z.union([z.number(), z.string()]) });
export const SubmitOutcome = z.discriminatedUnion('status', [
  z.looseObject({ status: z.literal('appended'), actId: z.string(), events: z.array(AppendedEvent).default([]) }),
  z.looseObject({
    status: z.literal('pending'),
    actId: z.string(),
    missing: z.array(z.string()),
    expiresAt: z.string().optional(),
  }),
]);
export type SubmitOutcome = z.infer<typeof SubmitOutcome>;

export const PendingAct = z.looseObject({
  actId: z.string(),
  act: UnsignedAct,
  signatures: z.array(ActSignature).default([]),
  missing: z.array(z.string()).optional(),
});
export type PendingAct = z.infer<typeof PendingAct>;

export const InboxItem = z.looseObject({
  actId: z.string(),
  summary: z.string().optional(),
  command: z.unknown().optional(),
  carriers: z.array(z.string()).optional(),
  missing: z.array(z.string()).optional(),
  expiresAt: z.string().optional(),
  act: UnsignedAct.optional(),
});
export type InboxItem = z.infer<typeof InboxItem>;
const Inbox = z.looseObject({ items: z.array(InboxItem) });

export type LoginResult = { token: string; expiresAt: string; ledgerId: string };

export type CarrierQuery = {
  holder?: string;
  location?: string;
  status?: string;
  classification?: string;
  kind?: string;
  limit?: number;
  cursor?: string;
};

/** An incident query as `GET /incidents` takes it; `carriers` is sent comma-separated. */
export type IncidentQuery = {
  from: string;
  to: string;
  person?: string;
  location?: string;
  minClassification?: string;
  carriers?: string[];
};
export type IncidentFormat = 'json' | 'md' | 'html';

const Alerts = z.looseObject({ now: z.string(), items: z.array(z.looseObject({ rule: z.string() })) });
const Settings = z.record(z.string(), z.unknown());
const PolicyReply = z.looseObject({
  at: z.string(),
  inForce: Settings,
  since: z.string().nullable(),
  adoptedBy: z.string().nullable(),
  history: z.array(z.looseObject({ from: z.string(), policy: Settings, adoptedBy: z.string() })),
});
export type PolicyReply = z.infer<typeof PolicyReply>;
const CosignRequest = z.looseObject({ oldSize: z.number().int().min(0), proof: z.array(z.string()), note: z.string() });
const Cosigned = z.looseObject({ size: z.number().int(), witnesses: z.array(z.string()).optional() });

export type CustodyApi = ReturnType<typeof createCustodyApi>;

export function createCustodyApi(options: HttpClientOptions) {
  const http = createHttpClient(options);
  const get = async <T>(schema: z.ZodType<T>, path: string, query?: Record<string, string | number | undefined>) =>
    parseReply(http, schema, `GET ${path}`, (await http.get(path, query)).body);
  const post = async <T>(schema: z.ZodType<T>, path: string, body: unknown) =>
    parseReply(http, schema, `POST ${path}`, (await http.post(path, body)).body);

  return {
    baseUrl: http.baseUrl,

    /** Challenge, sign, exchange for a token: proves possession of the enrolled key. */
    async login(personId: string, key: { publicKey: string; secretKey: string }): Promise<LoginResult> {
      const { challenge, ledger, ledgerId: named } = await post(Challenge, '/auth/challenge', { personId });
      const ledgerId = ledger ?? named ?? (await get(LedgerInfo, '/ledger')).ledgerId;
      const signature = sign(key.secretKey, signingBytes(LOGIN_SIGNING_DOMAIN, { ledger: ledgerId, personId, challenge }));
      const { token, expiresAt } = await post(Token, '/auth/token', { personId, publicKey: key.publicKey, challenge, signature });
      return { token, expiresAt, ledgerId };
    },

    prepare: (command: { type: string; data: Record<string, unknown> }) => post(Prepared, '/acts/prepare', { command }),
    submit: (signed: SignedAct) => post(SubmitOutcome, '/acts', signed),
    act: (actId: string) => get(PendingAct, `/acts/${segment(actId)}`),
    addSignature: (actId: string, signature: ActSignature) => post(SubmitOutcome, `/acts/${segment(actId)}/signatures`, signature),
    decline: (actId: string, reason: string) => post(Loose, `/acts/${segment(actId)}/decline`, { reason }),
    inbox: async () => (await get(Inbox, '/inbox')).items,

    carrier: (carrierId: string) => get(Loose, `/carriers/${segment(carrierId)}`),
    carrierHistory: (carrierId: string) => get(z.unknown(), `/carriers/${segment(carrierId)}/history`),
    carriers: (query: CarrierQuery) => get(Loose, '/carriers', query),
    person: (personId: string) => get(Loose, `/persons/${segment(personId)}`),
    /** Everyone enrolled, each person's public record. */
    persons: async () => (await get(z.looseObject({ items: z.array(Loose) }), '/persons')).items,
    /** The ledger's id and its public key (what checkpoints are signed with). */
    ledger: () => get(LedgerInfo, '/ledger'),
    holdings: (personId: string) => get(z.unknown(), `/persons/${segment(personId)}/holdings`),

    /** Where a carrier is now, or was at `at`, and under which act. */
    where: (carrierId: string, at?: string, knownAt?: string) => get(Loose, `/carriers/${segment(carrierId)}/where`, { at, knownAt }),
    holdingsAt: (personId: string, at: string, knownAt?: string) => get(Loose, `/persons/${segment(personId)}/holdings-at`, { at, knownAt }),
    atLocation: (location: string, at?: string) => get(Loose, `/locations/${segment(location)}/carriers`, { at }),
    access: (carrierId: string) => get(Loose, `/carriers/${segment(carrierId)}/access`),
    lineage: (carrierId: string) => get(Loose, `/carriers/${segment(carrierId)}/lineage`),
    trace: (carrierId: string, now?: string) => get(Loose, `/carriers/${segment(carrierId)}/trace`, { now }),
    /** For a witness that cosigned the checkpoint of `from` events: the latest one and the proof it extends that one. */
    cosignRequest: (from: number) => get(CosignRequest, '/checkpoints/cosign-request', { from: String(from) }),
    /** Hands in a witness's cosignature line for the checkpoint of `size` events. */
    cosign: (size: number, line: string) => post(Cosigned, `/checkpoints/${size}/cosignatures`, { line }),
    /** The policy in force now, or at `at`, and every recorded adoption. */
    policy: (at?: string) => get(PolicyReply, '/policy', { at }),
    alerts: (query: { now?: string; rules?: string[]; carrierId?: string } = {}) =>
      get(Alerts, '/alerts', { now: query.now, rule: query.rules?.join(','), carrierId: query.carrierId }),
    /** Who read which carrier (the access log), a page at a time; security officers and investigators. */
    reads: (query: ReadsQuery) => get(ReadsPage, '/audit/reads', { ...query, limit: query.limit === undefined ? undefined : String(query.limit) }),
    /** The report as JSON. */
    incident: (query: IncidentQuery) => get(Loose, '/incidents', incidentParams(query, 'json')),
    /** The report as the server renders it for reading (Markdown, or HTML with its SVG timeline). */
    incidentText: (query: IncidentQuery, format: Exclude<IncidentFormat, 'json'>) => getText(options, '/incidents', incidentParams(query, format)),
  };
}

export type ReadsQuery = { carrier?: string; person?: string; from?: string; to?: string; limit?: number; cursor?: string };
const ReadsPage = z.looseObject({ items: z.array(Loose), nextCursor: z.string().nullable() });

const incidentParams = (q: IncidentQuery, format: IncidentFormat): Record<string, string | undefined> => ({
  from: q.from,
  to: q.to,
  person: q.person,
  location: q.location,
  minClassification: q.minClassification,
  carriers: q.carriers?.join(','),
  format,
});

/**
 * A GET whose success is text, not JSON (a rendered report). Failures are still problem details,
 * reported as the JSON client reports them.
 */
async function getText(options: HttpClientOptions, path: string, query: Record<string, string | undefined>): Promise<string> {
  const http = createHttpClient(options);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const headers: Record<string, string> = { accept: 'text/markdown, text/html, application/problem+json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(`${http.baseUrl}${path}?${params.toString()}`, {
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } } | undefined)?.cause;
    throw new ServerUnreachable(http.baseUrl, cause?.message ?? (error instanceof Error ? error.message : String(error)));
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return text;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(text) as Record<string, unknown>;
  } catch {
    problem = { title: response.statusText || `HTTP ${response.status}`, status: response.status, detail: text.slice(0, 500) };
  }
  throw new ApiProblem(response.status, problem);
}

/** A reply without the members the client needs means client and server disagree: say which. */
function parseReply<T>(http: HttpClient, schema: z.ZodType<T>, what: string, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(reply)'}: ${issue.message}` : 'unexpected shape';
  throw new UnexpectedReply(http.baseUrl, `${what} answered in an unexpected shape (${where}); is this a custody server of the same version?`);
}
