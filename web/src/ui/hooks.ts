import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, asApiError } from "../api/errors";

export interface Async<T> { data?: T; error?: ApiError; loading: boolean; reload: () => void; set: (t: T) => void }

/** Runs `load` when `deps` change; keeps the last data while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && alive.current && setState({ data, loading: false }),
      (e) => current && alive.current && setState((s) => ({ data: s.data, error: asApiError(e), loading: false })),
    );
    return () => void (current = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { ...state, reload, set };
}

/** Runs an action, tracking busy and the error to show. */
export function useAction<A extends unknown[], T>(act: (...a: A) => Promise<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = async (...a: A): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await act(...a);
    } catch (e) {
      setError(asApiError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, setError };
}

/** Re-renders every `ms` (countdowns, "seen 3 min ago"). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
