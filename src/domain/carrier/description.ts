import { z } from 'zod';
import { Classification, PersonId, RegistryId, Text } from '../primitives.js';

export const CarrierKind = z.enum(['document', 'disk', 'copy', 'draft']);
export type CarrierKind = z.infer<typeof CarrierKind>;

/** What the registry writes in its book about a carrier (R-REG-1). Metadata, never content (L-5). */
export const CarrierDescription = z
  .object({
    kind: CarrierKind,
    classification: Classification,
    title: Text,
    originator: z.string().min(1).max(200),
    reference: z.string().min(1).max(100),
    /** 份号: which numbered copy of the original issue this is. */
    copyNumber: z.number().int().min(1),
    /** Items or pages. */
    itemCount: z.number().int().min(1),
    registry: RegistryId,
    /** R-HOLD-5: cipher telegrams go back to the registry the same day, like top-secret carriers. */
    cipherTelegram: z.boolean(),
    /** R-LOAN-*, R-COPY-4: archive material is lent only into the reading room and never copied. */
    archive: z.boolean(),
    /** R-REG-4: a personal (亲启) item goes only to its addressee or a proxy named beforehand. */
    personal: z.object({ addressee: PersonId, proxies: z.array(PersonId) }).strict().nullable(),
  })
  .strict();
export type CarrierDescription = z.infer<typeof CarrierDescription>;

/** As a command gives it: the flags default to off. */
export const CarrierDescriptionInput = CarrierDescription.extend({
  cipherTelegram: z.boolean().default(false),
  archive: z.boolean().default(false),
  personal: CarrierDescription.shape.personal.default(null),
});

/** Fields an L-1 correction may fix: the registry's descriptive entries, never custody. */
export const CorrectableFields = z
  .object({
    title: Text,
    originator: z.string().min(1).max(200),
    reference: z.string().min(1).max(100),
    copyNumber: z.number().int().min(1),
    itemCount: z.number().int().min(1),
    location: z.string().min(1).max(200),
  })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'a correction changes at least one field');
export type CorrectableFields = z.infer<typeof CorrectableFields>;

export const DESTRUCTION_METHODS = ['shred', 'burn', 'pulp', 'degauss', 'physical-destruction'] as const;
export type DestructionMethod = (typeof DESTRUCTION_METHODS)[number];
