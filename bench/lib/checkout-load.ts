import { Agent, request } from "node:http";
import { checkoutSteps } from "./checkout-flow.ts";

/** A keep-alive HTTP/1.1 call with node:http (cheaper for the load generator than fetch). */
function call(
  agent: Agent,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent, headers: { ...headers, "content-length": Buffer.byteLength(body).toString() } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export interface CheckoutLoadResult {
  orders: number;
  ordersPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
  firstFailure: string | null;
}

const STORE = { "x-publishable-key": "pk_demo", "content-type": "application/json" };

/**
 * `connections` shoppers, each buying one item after another for `seconds` (after a warm-up):
 * create the cart with contact and address, choose shipping, pay by card. The latency of an
 * order is the time from the first request to the paid order.
 */
export async function checkoutLoad(
  baseUrl: string,
  skus: string[],
  opts: { connections: number; seconds: number; warmupSeconds?: number },
): Promise<CheckoutLoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  let counter = 0;
  const warmupEnd = Date.now() + (opts.warmupSeconds ?? 2) * 1000;
  const end = warmupEnd + opts.seconds * 1000;

  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  async function buyOne(n: number) {
    const sku = skus[n % skus.length]!;
    let cart: unknown = null;
    for (const step of checkoutSteps(sku, n)) {
      const { status, text } = await call(
        agent,
        new URL(baseUrl + step.path(cart as never)),
        step.method,
        { ...STORE, ...(step.headers?.() ?? {}) },
        JSON.stringify(step.body(cart as never)),
      );
      if (status >= 300) throw new Error(`${step.name}: ${status} ${text.slice(0, 200)}`);
      cart = JSON.parse(text);
    }
  }

  const shopper = async () => {
    while (Date.now() < end) {
      const n = counter++;
      const started = performance.now();
      try {
        await buyOne(n);
        if (Date.now() > warmupEnd && Date.now() <= end) latencies.push(performance.now() - started);
      } catch (err) {
        failures += 1;
        firstFailure ??= String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, shopper));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return {
    orders: latencies.length,
    ordersPerSecond: Math.round(latencies.length / opts.seconds),
    p50: pct(0.5),
    p99: pct(0.99),
    failures,
    firstFailure,
  };
}
