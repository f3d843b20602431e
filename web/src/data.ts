// The browser app's data layer: one hook to load something from the API (useResource) and one to
// send a change (useMutation). Both keep the server's error as an ApiError, so a screen can show
// its message, route on its status (403 → access denied, 404 → not found) and put it beside the
// field the error names. Screens never write their own loading/error effect.

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import { sentence } from "./format";

/** Any thrown value as an ApiError: a fetch failure or a programming error becomes status 0, "unknown". */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, "unknown", String(e));
}

/** The text a screen shows for an error: the server's message as a sentence, or the thrown value as is. */
export function errorText(e: unknown): string {
  return e instanceof ApiError ? sentence(e.message) : String(e);
}

/** True when `error` names `field` or one of its parts ("contact" for "contact.email", "trials" for "trials[1].weeks"). */
export function errorNames(error: { field?: string } | null | undefined, field: string): boolean {
  const f = error?.field;
  return !!f && (f === field || f.startsWith(field + ".") || f.startsWith(field + "["));
}

export interface Resource<T> {
  /** The last value loaded; kept while a reload runs (then `stale` is true) and after a failed reload. */
  data: T | undefined;
  /** The error of the last load, or null while loading and after a success. */
  error: ApiError | null;
  /** The error as the text to show (errorText), or null. */
  errorText: string | null;
  /** A load is running. */
  loading: boolean;
  /** `data` is from before the current arguments or the latest reload(). */
  stale: boolean;
  /** Load again with the same arguments (after a change made elsewhere); settles when that load has. */
  reload: () => Promise<void>;
  /** Replace the value without asking the server (the answer of a mutation that returned it). */
  set: (value: T) => void;
}

export interface ResourceOptions<T> {
  /** Forget the old value when the arguments change, so the screen shows "Loading…" again. */
  resetOnChange?: boolean;
  /** Called with each value as it arrives (before it is shown): to prefill a form from it. */
  onLoad?: (data: T) => void;
}

/**
 * Loads `load()` when the component mounts and whenever `deps` change or reload() is called;
 * `load === null` loads nothing (the caller may not see it). An answer that arrives after the
 * arguments changed or the component went away is dropped.
 */
export function useResource<T>(
  load: (() => Promise<T>) | null,
  deps: readonly unknown[],
  options: ResourceOptions<T> = {},
): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; stale: boolean }>({
    data: undefined,
    error: null,
    loading: load !== null,
    stale: false,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const onLoadRef = useRef(options.onLoad);
  onLoadRef.current = options.onLoad;
  const depsKey = useRef<readonly unknown[] | null>(null);
  const waiting = useRef<(() => void)[]>([]);

  useEffect(() => {
    const fn = loadRef.current;
    const settled = waiting.current.splice(0);
    const settle = () => settled.forEach((resolve) => resolve());
    if (!fn) {
      setState((s) => (s.loading ? { ...s, loading: false } : s));
      settle();
      return;
    }
    const changed = depsKey.current !== null && !sameDeps(depsKey.current, deps);
    depsKey.current = deps;
    let live = true;
    setState((s) => ({
      data: changed && options.resetOnChange ? undefined : s.data,
      error: null,
      loading: true,
      stale: s.data !== undefined,
    }));
    fn().then(
      (data) => {
        if (live) {
          onLoadRef.current?.(data);
          setState({ data, error: null, loading: false, stale: false });
        }
        settle();
      },
      (error) => {
        if (live) setState((s) => ({ data: s.data, error: error ?? new Error("failed"), loading: false, stale: s.data !== undefined }));
        settle();
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, load === null]);

  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve);
        setTick((t) => t + 1);
      }),
    [],
  );
  const set = useCallback((data: T) => setState({ data, error: null, loading: false, stale: false }), []);
  const error = state.error ? asApiError(state.error) : null;
  return {
    data: state.data,
    error,
    errorText: state.error ? errorText(state.error) : null,
    loading: state.loading,
    stale: state.stale,
    reload,
    set,
  };
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

export interface Mutation {
  /** A run() is under way: disable the submit button. */
  pending: boolean;
  /** The last run's error, or null. */
  error: ApiError | null;
  /** The error as the text to show (errorText), or null. */
  errorText: string | null;
  /** Runs `fn`, keeping its error; true when it succeeded. A run while one is pending still runs. */
  run: (fn: () => Promise<unknown>) => Promise<boolean>;
  /** Show an error found before sending (a blank required field) as if the server had sent it. */
  fail: (message: string, field?: string) => void;
  /** Forget the error (the person changed the form). */
  clear: () => void;
  /** The error's text when it names `field` or one of its parts, else undefined. */
  errorFor: (field: string) => string | undefined;
  /** The error's text when it names none of `fields`: shown above or below the form. */
  general: (fields: readonly string[]) => string | undefined;
}

/** State of one form or button that changes something: pending while it runs, the server's error after. */
export function useMutation(): Mutation {
  const [pending, setPending] = useState(false);
  const [raw, setError] = useState<unknown>(null);
  const run = useCallback(async (fn: () => Promise<unknown>): Promise<boolean> => {
    setPending(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e ?? new Error("failed"));
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  const fail = useCallback((message: string, field?: string) => setError(new ApiError(400, "invalid_argument", message, field)), []);
  const clear = useCallback(() => setError(null), []);
  const error = raw ? asApiError(raw) : null;
  const errorFor = (field: string) => (errorNames(error, field) ? errorText(raw) : undefined);
  const general = (fields: readonly string[]) =>
    error && !fields.some((f) => errorNames(error, f)) ? errorText(raw) : undefined;
  return { pending, error, errorText: raw ? errorText(raw) : null, run, fail, clear, errorFor, general };
}
