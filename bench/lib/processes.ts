import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a process and resolves once `readyUrl` answers 200, with the time that took. */
export async function startServer(
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; port: number; readyPath?: string; timeoutMs?: number },
): Promise<Server & { startMs: number }> {
  const started = performance.now();
  // Its own process group, so that stopping `npm start` also stops the server npm started.
  const child = spawn(command, args, { env: opts.env, stdio: ["ignore", "ignore", "pipe"], detached: true });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = started + (opts.timeoutMs ?? 120_000);
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(url + (opts.readyPath ?? "/readyz"));
      if (res.ok) {
        const startMs = performance.now() - started;
        return { url, child, startMs, stop: () => stopProcess(child) };
      }
    } catch {}
    await sleep(10);
  }
  process.kill(-child.pid!, "SIGKILL");
  throw new Error(`${command} did not become ready: ${stderr}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const group = -child.pid!;
  process.kill(group, "SIGTERM");
  const timer = setTimeout(() => process.kill(group, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  // npm may exit before the server it started; wait until nothing of the group is left.
  for (let i = 0; i < 200 && groupAlive(group); i++) await sleep(50);
}

function groupAlive(group: number): boolean {
  try {
    process.kill(group, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident set size in MB of the largest process under `pid` (the server, not npm or a shell). */
export function rssMb(pid: number): number {
  let largest = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      largest = Math.max(largest, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {}
  }
  return Math.round(largest / 1024);
}
function descendants(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return children.flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
}
