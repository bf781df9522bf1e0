// Builds the web app into ../build/web (or --outDir), which `latchkey serve` serves as static
// files when [web] static_dir points there. JSX is Preact's, compiled by esbuild: no plugin.
import { defineConfig } from "vite";

export default defineConfig({
  root: ".",
  base: "/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "../build/web",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev` against a running `latchkey serve` on :8080.
    proxy: { "/api": "http://127.0.0.1:8080", "/healthz": "http://127.0.0.1:8080" },
  },
});
