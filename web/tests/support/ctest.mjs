// How ctest runs one test file: `node --test FILE`, its TAP output passed through, and exit 77
// (ctest's SKIP_RETURN_CODE) when nothing failed and nothing passed because every test skipped
// while it waits for API routes — so ctest shows the file as skipped, not as passed.
import { spawn } from "node:child_process";

const file = process.argv[2];
const child = spawn(process.execPath, ["--test", "--test-reporter=tap", file], { stdio: ["ignore", "pipe", "inherit"] });
let out = "";
child.stdout.on("data", (b) => {
  out += b;
  process.stdout.write(b);
});
child.on("exit", (code, signal) => {
  const count = (name) => Number(out.match(new RegExp(`^# ${name} (\\d+)$`, "m"))?.[1] ?? 0);
  if (signal) process.exit(1);
  if (code === 0 && count("pass") === 0 && count("skipped") > 0) process.exit(77);
  process.exit(code ?? 1);
});
