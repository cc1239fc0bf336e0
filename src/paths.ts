import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  // Works from src/ (run with tsx or tests) and from the bundled dist/ alike.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Cannot find the project root (package.json)");
    dir = parent;
  }
  return dir;
}

/** The project's root folder, for files shipped with the code (migrations, seed data). */
const projectRoot = findRoot();

/** A path inside the project: projectPath("drizzle") */
export const projectPath = (...parts: string[]) => join(projectRoot, ...parts);
