import { useEffect, useState } from 'preact/hooks';

/**
 * Loads `load()` now and every `everyMs`, while the component is shown: the inbox and the desks
 * update without a reload. Failures keep the last good value and say so.
 */
export function usePolled<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = []): { value: T | undefined; error: unknown; reload: () => void } {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const next = await load();
        if (live) (setValue(next), setError(null));
      } catch (e) {
        if (live) setError(e);
      }
      if (live && everyMs > 0) timer = setTimeout(run, everyMs);
    };
    void run();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { value, error, reload: () => setTick((t) => t + 1) };
}
