// Runs the server from a bundle of src/ and its pure-JavaScript dependencies, rebuilt only when a
// source file or the lockfile changed. Loading hundreds of small modules (drizzle-orm alone has
// ~200) costs over a second at every start; one file loads in a fraction of that.
import { readdirSync, statSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
// V8's code cache on disk: later starts skip parsing and compiling the bundle and dependencies.
enableCompileCache(join(root, "dist", ".compile-cache"));
const bundle = join(root, "dist", "main.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return 0;
  }
}

if (builtAt() < Math.max(newestSource(join(root, "src")), statSync(join(root, "package-lock.json")).mtimeMs)) {
  const { build } = await import("esbuild");
  await build({
    entryPoints: [join(root, "src", "main.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    sourcemap: "linked",
    logLevel: "warning",
    // Packages with native code, WebAssembly or files of their own stay in node_modules.
    external: [
      "sharp",
      "@electric-sql/pglite",
      "@fastify/swagger-ui",
      "@fastify/static",
      "pg-native",
      "esbuild",
      "@node-rs/argon2",
    ],
    // Bundled CommonJS dependencies call require(); give the ES module bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
}

await import(pathToFileURL(bundle).href);
