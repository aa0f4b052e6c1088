import type { RecordedEvent } from './port.js';

/** Subscribers catch up page by page so that a long history is never loaded at once. */
const SUBSCRIPTION_PAGE = 500;

/**
 * Delivers events one at a time, awaiting each, from a cursor that only moves forward. Commits only
 * wake it; it always re-reads from the store, so a wake during a slow handler is never lost and no
 * event is delivered twice. A handler that throws stops its subscription (skipping the event would
 * break the order, retrying could loop forever) and the error escapes as an unhandled rejection,
 * so that a broken projection is loud rather than silently stale.
 */
export function createPump(
  after: bigint,
  readPage: (after: bigint, limit: number) => RecordedEvent[],
  onEvent: (event: RecordedEvent) => void | Promise<void>,
  onStop: () => void,
) {
  let cursor = after;
  let running = false;
  let stopped = false;
  const stop = () => {
    stopped = true;
    onStop();
  };
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      // The final, empty read and `running = false` happen in one synchronous step: no commit can slip between.
      for (let page = readPage(cursor, SUBSCRIPTION_PAGE); page.length > 0; page = stopped ? [] : readPage(cursor, SUBSCRIPTION_PAGE)) {
        for (const event of page) {
          if (stopped) return;
          await onEvent(event);
          cursor = event.position;
        }
      }
    } catch (error) {
      stop();
      throw error;
    } finally {
      running = false;
    }
  };
  queueMicrotask(() => void run());
  // Waking on a microtask keeps handlers out of the appender's (or the commit's) call stack.
  return { wake: () => queueMicrotask(() => void run()), stop };
}
