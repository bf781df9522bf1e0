// The app's pure logic, bundled from the TypeScript sources with esbuild (Vite's own) and run
// in Node: the weekly schedule text the server parses, the server-sent-events parser, errors in
// plain words. No browser, no server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";

async function load(entry) {
  const r = await build({ entryPoints: [entry], bundle: true, format: "esm", write: false, platform: "neutral", logLevel: "silent" });
  return import(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString("base64")}`);
}

const sched = await load("src/ui/schedule_text.ts");
const live = await load("src/api/live.ts");
const errors = await load("src/api/errors.ts");

const week = (days, from = "08:00", until = "17:00") => ({ days: "MoTuWeThFrSaSu".match(/../g).map((d) => days.includes(d)), from, until });

test("schedules are written the way server/access/schedule.hpp writes them", () => {
  assert.equal(sched.formatSchedule(week(["Mo", "Tu", "We", "Th", "Fr"])), "Mo-Fr 08:00-17:00");
  assert.equal(sched.formatSchedule(week(["Mo", "We", "Fr"])), "Mo,We,Fr 08:00-17:00");
  assert.equal(sched.formatSchedule(week(["Sa", "Su"], "10:00", "14:00")), "Sa-Su 10:00-14:00");
  assert.equal(sched.formatSchedule(week(["Mo", "Fr", "Sa", "Su"])), "Mo,Fr-Su 08:00-17:00");
  assert.equal(sched.formatSchedule(week([])), null, "no day: any time");
});

test("a schedule whose end is not after its start is refused before it is sent", () => {
  assert.equal(sched.scheduleProblem(week(["Mo"], "08:00", "17:00")), null);
  assert.match(sched.scheduleProblem(week(["Mo"], "22:00", "06:00")), /later than the start/);
  assert.match(sched.scheduleProblem(week(["Mo"], "09:00", "09:00")), /later than the start/);
  assert.equal(sched.scheduleProblem(week([], "22:00", "06:00")), null, "no days: times unused");
  assert.equal(sched.scheduleProblem(week(["Mo"], "08:00", "24:00")), null, "24:00 ends the day");
});

test("server-sent events: split frames, multi-line data, ids, comments and CRLF", () => {
  const got = [];
  const feed = live.sseParser((e) => got.push(e));
  feed(": heartbeat\n\nevent: lock\nid: 7\ndata: {\"lock\":");
  assert.equal(got.length, 0, "nothing until the blank line");
  feed("\"u204\"}\n\n");
  feed("event: command\r\ndata: line one\r\ndata: line two\r\n\r\n");
  feed("data: no name\n\n");
  assert.deepEqual(got, [
    { event: "lock", data: '{"lock":"u204"}', id: "7" },
    { event: "command", data: "line one\nline two", id: "7" },
    { event: "message", data: "no name", id: "7" },
  ]);
});

test("errors are titled in plain words, with the wait when rate-limited", () => {
  assert.equal(errors.titleFor("invalid_field"), "Please check what you entered");
  assert.equal(errors.titleFor("rate_limited", 30), "Too many attempts: try again in 30 seconds");
  assert.equal(errors.titleFor("rate_limited", 600), "Too many attempts: try again in 10 minutes");
  assert.equal(errors.titleFor("not_served"), "This server does not offer this yet");
});

test("an error answer becomes an ApiError with the server's code, sentence and field", async () => {
  const res = new Response(JSON.stringify({ error: { code: "invalid_field", message: "\"starts_at\" must be RFC 3339", field: "starts_at" } }), { status: 400 });
  const e = await errors.errorFromResponse(res);
  assert.equal(e.code, "invalid_field");
  assert.equal(e.field, "starts_at");
  assert.equal(e.message, "\"starts_at\" must be RFC 3339");
  const html = await errors.errorFromResponse(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
  assert.equal(html.code, "internal");
  assert.match(html.message, /502/);
  const gone = await errors.errorFromResponse(new Response("", { status: 410 }));
  assert.equal(gone.code, "gone");
});
