import { describe, expect, it } from "vitest";
import { newId } from "./ids.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Reads the 10-character base32 timestamp back as milliseconds. */
function timeOf(id: string, prefix: string): number {
  const chars = id.slice(prefix.length + 1, prefix.length + 11);
  let n = 0;
  for (const c of chars) n = n * 32 + CROCKFORD.indexOf(c);
  return n;
}

describe("newId", () => {
  it("has the prefix, an underscore and 26 Crockford base32 characters", () => {
    for (const prefix of ["prod", "evt", "ord", "x"]) {
      const id = newId(prefix);
      expect(id.startsWith(`${prefix}_`)).toBe(true);
      expect(id).toHaveLength(prefix.length + 27);
      expect(id.slice(prefix.length + 1)).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    }
  });

  it("carries the current time in milliseconds", () => {
    const before = Date.now();
    const id = newId("prod");
    const after = Date.now();
    const t = timeOf(id, "prod");
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
  });

  it("is unique and strictly increasing over 10,000 ids made in a tight loop", () => {
    const ids = Array.from({ length: 10_000 }, () => newId("evt"));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) {
      if (!(ids[i - 1]! < ids[i]!)) expect.fail(`${ids[i - 1]} is not before ${ids[i]} (index ${i})`);
    }
    // Many share a millisecond, so ordering there comes from incrementing the random part.
    const times = new Set(ids.map((id) => timeOf(id, "evt")));
    expect(times.size).toBeLessThan(ids.length);
  });

  it("keeps increasing across milliseconds", async () => {
    const a = newId("a");
    await new Promise((r) => setTimeout(r, 3));
    const b = newId("a");
    expect(timeOf(b, "a")).toBeGreaterThan(timeOf(a, "a"));
    expect(a < b).toBe(true);
    const c = newId("b");
    const d = newId("b");
    expect(c.slice(2) < d.slice(2)).toBe(true);
  });

  it("spreads random bits: ids made in different milliseconds differ in the random part", async () => {
    const randoms = new Set<string>();
    for (let i = 0; i < 5; i++) {
      randoms.add(newId("r").slice(12));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(randoms.size).toBe(5);
  });
});
