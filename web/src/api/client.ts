// The one fetch wrapper every call goes through: JSON in and out, the session's bearer token,
// one refresh on an expired token, errors as ApiError, and a check against the server's own
// OpenAPI document so that a call this server does not serve yet fails honestly ("not_served")
// instead of being guessed at or faked.

import { ApiError, errorFromResponse, asApiError } from "./errors";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Tokens {
  access_token: string;
  access_expires_at: string;
  refresh_token: string;
  refresh_expires_at: string;
}

const kTokensKey = "latchkey.tokens";

// ---- the session's tokens (this browser's storage; cleared on sign-out)

type Listener = () => void;
const listeners = new Set<Listener>();

export const session = {
  tokens(): Tokens | null {
    try {
      const raw = localStorage.getItem(kTokensKey);
      return raw ? (JSON.parse(raw) as Tokens) : null;
    } catch {
      return null;
    }
  },
  set(tokens: Tokens | null): void {
    if (tokens) localStorage.setItem(kTokensKey, JSON.stringify(tokens));
    else localStorage.removeItem(kTokensKey);
    listeners.forEach((l) => l());
  },
  signedIn(): boolean {
    const t = this.tokens();
    return !!t && Date.parse(t.refresh_expires_at) > Date.now();
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

// ---- which routes this server serves (from GET /api/v1/openapi.json)

let served: Promise<Set<string>> | null = null;

function routeKey(method: string, template: string): string {
  return `${method.toUpperCase()} ${template}`;
}

export function servedRoutes(): Promise<Set<string>> {
  if (!served) {
    served = fetch("/api/v1/openapi.json", { headers: { Accept: "application/json" } })
      .then(async (res) => {
        if (!res.ok) throw await errorFromResponse(res);
        const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
        const keys = new Set<string>();
        for (const [path, ops] of Object.entries(doc.paths ?? {})) {
          for (const m of Object.keys(ops)) keys.add(routeKey(m, path));
        }
        return keys;
      })
      .catch((e) => {
        served = null; // try again next time
        throw asApiError(e);
      });
  }
  return served;
}

/** True when the server documents (and so serves) `method template`. */
export async function isServed(method: Method, template: string): Promise<boolean> {
  return (await servedRoutes()).has(routeKey(method, template));
}

// ---- requests

export interface RequestOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  /** Send the bearer token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

export function expand(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(v);
  });
}

function withQuery(path: string, query?: RequestOptions["query"]): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

let refreshing: Promise<boolean> | null = null;

/** Exchanges the refresh token for a new pair; false (and signed out) when that fails. */
export function refreshTokens(): Promise<boolean> {
  const t = session.tokens();
  if (!t) return Promise.resolve(false);
  if (!refreshing) {
    refreshing = fetch("/api/v1/sessions/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ refresh_token: t.refresh_token }),
    })
      .then(async (res) => {
        if (!res.ok) {
          session.set(null);
          return false;
        }
        session.set((await res.json()) as Tokens);
        return true;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

export function authHeader(): Record<string, string> {
  const t = session.tokens();
  return t ? { Authorization: `Bearer ${t.access_token}` } : {};
}

export async function request<T>(method: Method, template: string, opts: RequestOptions = {}): Promise<T> {
  try {
    if (!(await isServed(method, template))) {
      throw new ApiError(0, "not_served", `${method} ${template} is not served by this server yet.`);
    }
    const url = withQuery(expand(template, opts.params), opts.query);
    const send = () => {
      const headers: Record<string, string> = { Accept: "application/json" };
      if (opts.body !== undefined) headers["Content-Type"] = "application/json";
      if (opts.auth !== false) Object.assign(headers, authHeader());
      return fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    };
    let res = await send();
    if (res.status === 401 && opts.auth !== false && session.tokens() && (await refreshTokens())) {
      res = await send();
    }
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  } catch (e) {
    throw asApiError(e);
  }
}

export const api = {
  get: <T>(t: string, o?: RequestOptions) => request<T>("GET", t, o),
  post: <T>(t: string, o?: RequestOptions) => request<T>("POST", t, o),
  put: <T>(t: string, o?: RequestOptions) => request<T>("PUT", t, o),
  patch: <T>(t: string, o?: RequestOptions) => request<T>("PATCH", t, o),
  del: <T>(t: string, o?: RequestOptions) => request<T>("DELETE", t, o),
};
