/**
 * Carrier acts run side by side: each decides on its own streams, which the store's expected
 * revisions protect. A person act (enrolment, keys, roles, deactivation) changes what every other
 * act is decided against, and nothing in the store ties the two together, so it runs alone: after
 * the acts already in flight, before the ones that arrive after it.
 */
export type Gate = {
  shared<T>(work: () => Promise<T>): Promise<T>;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
};

export function createGate(): Gate {
  let lastExclusive: Promise<unknown> = Promise.resolve();
  const sharedInFlight = new Set<Promise<unknown>>();
  const settled = (p: Promise<unknown>) => p.then(
    () => undefined,
    () => undefined,
  );

  return {
    shared(work) {
      const running = lastExclusive.then(work);
      const tracked = settled(running);
      sharedInFlight.add(tracked);
      void tracked.then(() => sharedInFlight.delete(tracked));
      return running;
    },
    exclusive(work) {
      const before = Promise.all([lastExclusive, ...sharedInFlight]);
      const running = before.then(work);
      lastExclusive = settled(running);
      return running;
    },
  };
}
