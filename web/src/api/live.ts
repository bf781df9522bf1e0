// Live updates over server-sent events, read with fetch so the bearer token can be sent
// (EventSource cannot set headers). Parses the text/event-stream format, reconnects with a
// growing wait and Last-Event-ID, and stops when closed. The stream (topics "lock", "hub",
// "command", "credential", "fanout" of server/live/bus.hpp) is NOT SERVED YET:
// GET /api/v1/sites/{site}/live.
import { authHeader, expand, isServed, refreshTokens } from "./client";

export interface LiveEvent { event: string; data: unknown; id?: string }
export type LiveState = "connecting" | "live" | "retrying" | "unavailable";

export interface LiveHandle { close(): void }

/** Feeds `chunk` to the parser; calls `emit` per complete event. Exported for tests. */
export function sseParser(emit: (e: { event: string; data: string; id?: string }) => void) {
  let buffer = "";
  let event = "message";
  let data: string[] = [];
  let id: string | undefined;
  return (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith("\r\n", nl) ? 2 : 1));
      if (line === "") {
        if (data.length) emit({ event, data: data.join("\n"), id });
        event = "message";
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue; // heartbeat comment
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id") id = value;
    }
  };
}

export function subscribeLive(
  site: string,
  onEvent: (e: LiveEvent) => void,
  onState: (s: LiveState) => void = () => {},
): LiveHandle {
  const template = "/api/v1/sites/{site}/live";
  let closed = false;
  let controller: AbortController | null = null;
  let lastId: string | undefined;
  let wait = 1000;

  const run = async () => {
    if (!(await isServed("GET", template).catch(() => false))) {
      onState("unavailable");
      return;
    }
    while (!closed) {
      onState("connecting");
      controller = new AbortController();
      try {
        const headers: Record<string, string> = { Accept: "text/event-stream", ...authHeader() };
        if (lastId) headers["Last-Event-ID"] = lastId;
        const res = await fetch(expand(template, { site }), { headers, signal: controller.signal });
        if (res.status === 401 && (await refreshTokens())) continue;
        if (!res.ok || !res.body) throw new Error(`live: ${res.status}`);
        onState("live");
        wait = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const feed = sseParser((e) => {
          if (e.id) lastId = e.id;
          let data: unknown = e.data;
          try { data = JSON.parse(e.data); } catch { /* plain text */ }
          onEvent({ event: e.event, data, id: e.id });
        });
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed(value);
        }
      } catch {
        if (closed) return;
      }
      if (closed) return;
      onState("retrying");
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 30_000);
    }
  };
  void run();
  return {
    close() {
      closed = true;
      controller?.abort();
    },
  };
}
