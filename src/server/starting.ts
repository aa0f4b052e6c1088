import { problem, problemResponse } from '../api/problems.js';
import type { RebuildProgress } from '../projections/lifecycle.js';

/**
 * What the server answers while it opens its ledger (on a large one, reading the log takes a
 * minute): alive on /health, and not ready everywhere else, with how far it has read, so a load
 * balancer or a client waits instead of finding the port closed.
 */
export function startingFetch(progress: () => RebuildProgress | undefined) {
  return (request: Request): Response => {
    if (new URL(request.url).pathname === '/health') return Response.json({ status: 'ok' });
    const read = progress();
    const detail = read
      ? `the ledger is reading its log before it serves: position ${read.position} of ${read.head}`
      : 'the ledger is opening';
    return problemResponse(problem('not-ready', detail));
  };
}
