/**
 * Runs `load` once for concurrent callers asking for the same `key`: the first call starts it, the
 * others wait for the same promise. A finished (or failed) load is forgotten, so the next call runs again.
 */
export function singleFlight<T>(inFlight: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const pending = inFlight.get(key);
  if (pending) return pending;
  const started = load();
  inFlight.set(key, started);
  const forget = () => {
    if (inFlight.get(key) === started) inFlight.delete(key);
  };
  started.then(forget, forget);
  return started;
}
