import { z } from 'zod';
import { ActSignature, UnsignedAct, type SignedAct } from '../domain/act.js';
import { signingBytes } from '../domain/canonical.js';
import { sign } from '../crypto/ed25519.js';
import { UnexpectedReply, createHttpClient, segment, type HttpClient, type HttpClientOptions } from './http.js';

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
    holdings: (personId: string) => get(z.unknown(), `/persons/${segment(personId)}/holdings`),
  };
}

/** A reply without the members the client needs means client and server disagree: say which. */
function parseReply<T>(http: HttpClient, schema: z.ZodType<T>, what: string, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(reply)'}: ${issue.message}` : 'unexpected shape';
  throw new UnexpectedReply(http.baseUrl, `${what} answered in an unexpected shape (${where}); is this a custody server of the same version?`);
}
