import { z } from 'zod';

//// Identifiers ////////////////////////////////////////////////////////////

/** Ids are chosen by the registry (or a client), never by the domain: the domain has no randomness. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only, starting with a letter or digit');
export type Id = z.infer<typeof Id>;

export const PersonId = Id.describe('PersonId');
export type PersonId = z.infer<typeof PersonId>;
export const CarrierId = Id.describe('CarrierId');
export type CarrierId = z.infer<typeof CarrierId>;
export const RegistryId = Id.describe('RegistryId');
export type RegistryId = z.infer<typeof RegistryId>;

/** Free-text place name: "R1/safe-3", "archive reading room". */
export const Location = z.string().min(1).max(200);
export type Location = z.infer<typeof Location>;

/** Short human text: titles, reasons, descriptions. Metadata only, never content (L-5). */
export const Text = z.string().min(1).max(500);

//// Time ///////////////////////////////////////////////////////////////////

/** UTC instant with millisecond precision, the only time format in the ledger: it sorts as text. */
export const IsoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'UTC time as YYYY-MM-DDTHH:mm:ss.sssZ')
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s, 'not a real instant');
export type IsoTime = z.infer<typeof IsoTime>;

export const addHours = (time: IsoTime, hours: number): IsoTime =>
  new Date(Date.parse(time) + hours * 3_600_000).toISOString();

//// Classification /////////////////////////////////////////////////////////

export const CLASSIFICATIONS = ['confidential', 'secret', 'top-secret'] as const;
export const Classification = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof Classification>;

/** Whether a person cleared to `clearance` may hold something classified `level` (R-HOLD-2). */
export const clearedFor = (clearance: Classification, level: Classification): boolean =>
  CLASSIFICATIONS.indexOf(clearance) >= CLASSIFICATIONS.indexOf(level);

//// Keys and signatures ////////////////////////////////////////////////////

const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `${what} must be base64url without padding`)
    .length(Math.ceil((bytes * 4) / 3), `${what} must encode exactly ${bytes} bytes`);

/** Ed25519 public key, 32 bytes, base64url. */
export const PublicKey = base64url(32, 'public key');
export type PublicKey = z.infer<typeof PublicKey>;

/** Ed25519 signature, 64 bytes, base64url. */
export const SignatureBytes = base64url(64, 'signature');
export type SignatureBytes = z.infer<typeof SignatureBytes>;

/** SHA-256 digest, lowercase hex. */
export const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lowercase hex digits');
export type Hash = z.infer<typeof Hash>;
