import type { Registration } from "./tax.types.ts";

/** A registration in force since 2000, for tests and benchmarks of the landed-cost engine. */
export function testRegistration(jurisdiction: string, scheme: string): Registration {
  return {
    id: `reg_${jurisdiction}_${scheme}`,
    jurisdiction,
    scheme,
    number: "TEST-1",
    effectiveFrom: "2000-01-01",
    effectiveTo: null,
  };
}
