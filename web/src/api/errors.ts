// Errors as the person sees them. The server answers every error with
// {"error": {"code", "message", "field"?}} (server/api/openapi/base.json, Error); this turns that,
// a network failure, or a route this server does not serve yet into one ApiError with a title in
// plain words, the server's own sentence, and the field it concerns.

export type ErrorCode =
  | "malformed_request" | "invalid_json" | "invalid_field" | "missing_field"
  | "unauthenticated" | "forbidden" | "not_found" | "method_not_allowed" | "conflict"
  | "payload_too_large" | "unsupported_media_type" | "header_too_large"
  | "rate_limited" | "internal" | "unavailable"
  // client-side only:
  | "network" | "not_served" | "gone";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** A short heading for the message, in plain words. */
  get title(): string {
    return titleFor(this.code, this.retryAfterS);
  }
}

export function titleFor(code: ErrorCode, retryAfterS?: number): string {
  switch (code) {
    case "invalid_field":
    case "missing_field":
    case "malformed_request":
    case "invalid_json":
      return "Please check what you entered";
    case "unauthenticated":
      return "Please sign in";
    case "forbidden":
      return "You are not allowed to do this";
    case "not_found":
      return "We could not find that";
    case "conflict":
      return "That clashes with something that already exists";
    case "rate_limited":
      return retryAfterS
        ? `Too many attempts: try again in ${formatWait(retryAfterS)}`
        : "Too many attempts: please wait a moment";
    case "unavailable":
      return "The server is busy or cannot reach the lock right now";
    case "network":
      return "Could not reach the Latchkey server";
    case "not_served":
      return "This server does not offer this yet";
    case "gone":
      return "This link has expired";
    default:
      return "Something went wrong";
  }
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} seconds`;
  const min = Math.round(seconds / 60);
  return `${min} minute${min === 1 ? "" : "s"}`;
}

/** Builds the ApiError for a non-2xx answer. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get("Retry-After"));
  const retryAfterS = Number.isFinite(retry) && retry > 0 ? retry : undefined;
  let code: ErrorCode = res.status === 410 ? "gone" : "internal";
  let message = `The server answered ${res.status} ${res.statusText}`.trim();
  let field: string | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; field?: string } };
    if (body?.error?.code) code = body.error.code as ErrorCode;
    if (body?.error?.message) message = body.error.message;
    field = body?.error?.field;
  } catch {
    // Not JSON (a proxy's page): keep the status line.
  }
  return new ApiError(res.status, code, message, field, retryAfterS);
}

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof TypeError) {
    return new ApiError(0, "network", "Check your connection, then try again.");
  }
  return new ApiError(0, "internal", e instanceof Error ? e.message : String(e));
}
