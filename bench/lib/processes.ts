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
  const child = spawn(command, args, { env: opts.env, stdio: ["ignore", "ignore", "pipe"] });
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
  child.kill("SIGKILL");
  throw new Error(`${command} did not become ready: ${stderr}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process and its descendants, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const pids = [pid, ...descendants(pid)];
  let kb = 0;
  for (const p of pids) {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {}
  }
  return Math.round(kb / 1024);
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
