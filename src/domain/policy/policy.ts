import { z } from 'zod';

/**
 * The thresholds and authorities RULES.md calls "policy": named and versioned, so a past act is
 * judged by the policy in force at its time. Defaults follow the seed regulation.
 */
export const Policy = z
  .object({
    name: z.string().min(1).max(100),
    version: z.number().int().min(1),
    /** R-CIRC-4: a reader holds a circulated carrier at most this long. */
    circulationMaxHours: z.number().int().min(1),
    /** R-CIRC-4: default deadline for an urgent circulation. */
    urgentCirculationHours: z.number().int().min(1),
    /** R-HOLD-5: top-secret carriers back at the registry by this UTC hour (end of working day). */
    registryDayEndsAtUtcHour: z.number().int().min(0).max(23),
    /** R-LOSS-3: the report must reach the security office within this. */
    lossReportHours: z.number().int().min(1),
    /** R-LOSS-3: a missing case should be concluded within this. */
    lossConclusionDays: z.number().int().min(1),
    /** R-TRANSPORT-5: default transport time when the dispatch names none. */
    transportExpectedHours: z.number().int().min(1),
    /** R-COPY-2: which approver authority may approve copies of each classification. */
    copyApproval: z.object({
      confidential: z.enum(['unit-head', 'originating-authority']),
      secret: z.enum(['unit-head', 'originating-authority']),
      'top-secret': z.enum(['unit-head', 'originating-authority']),
    }),
    /** R-DESTROY-4: may the destruction witness be someone who once held the carrier? */
    witnessMayBeInCustodyChain: z.boolean(),
    /**
     * R-BATCH-1: the largest number of carriers one act may cover. Capped at 1,000 because each
     * carrier's event holds the whole signed act, so the work of writing and reading an act grows
     * with the square of its carriers (the SQLite store keeps the act's text once; EventStoreDB
     * keeps every copy: 62 MB for 500 carriers), and an act over 1,000 is near the API's 1 MiB.
     */
    maxCarriersPerAct: z.number().int().min(1).max(1_000),
    /** Co-signing: how long a prepared act waits for its last signature. */
    pendingActExpiryHours: z.number().int().min(1),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;

export const defaultPolicy: Policy = {
  name: 'seed-default',
  version: 1,
  circulationMaxHours: 48,
  urgentCirculationHours: 4,
  registryDayEndsAtUtcHour: 18,
  lossReportHours: 24,
  lossConclusionDays: 90,
  transportExpectedHours: 24,
  copyApproval: { confidential: 'unit-head', secret: 'unit-head', 'top-secret': 'originating-authority' },
  witnessMayBeInCustodyChain: true,
  maxCarriersPerAct: 500,
  pendingActExpiryHours: 72,
};
