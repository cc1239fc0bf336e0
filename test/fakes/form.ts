/** A decoded form value: Stripe's bracket notation nests objects (`a[b]=1`) and arrays (`a[0]=x`, `a[]=x`). */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

type Tree = { [key: string]: string | Tree };

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function segments(key: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return null;
  return [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
}

/** Objects whose keys are exactly 0…n-1 become arrays (integer keys enumerate in ascending order). */
function withArrays(tree: Tree): FormValue {
  const keys = Object.keys(tree);
  const values = keys.map((k) => {
    const v = tree[k]!;
    return typeof v === "string" ? v : withArrays(v);
  });
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return values;
  return Object.fromEntries(keys.map((k, i) => [k, values[i]!]));
}

/**
 * Parses an application/x-www-form-urlencoded body (or query string) the way Stripe reads the
 * SDK's requests: `metadata[payment_id]=pay_1&payment_method_types[0]=card&expand[]=latest_charge`
 * → `{ metadata: { payment_id: "pay_1" }, payment_method_types: ["card"], expand: ["latest_charge"] }`.
 * Throws on a name it cannot place (`a]`, `a=1&a[b]=2`, the same name twice).
 */
export function parseForm(body: string): Record<string, FormValue> {
  const root: Tree = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const path = segments(key);
    if (!path || path.some((s) => FORBIDDEN.has(s))) throw new Error(`Invalid parameter name "${key}"`);
    let node = root;
    for (const [i, raw] of path.entries()) {
      const seg = raw === "" ? String(Object.keys(node).length) : raw;
      if (i === path.length - 1) {
        if (Object.hasOwn(node, seg)) throw new Error(`Parameter "${key}" is given twice`);
        node[seg] = value;
        break;
      }
      node[seg] ??= Object.create(null) as Tree;
      const child = node[seg];
      if (typeof child === "string") throw new Error(`Parameter "${key}" conflicts with a plain value`);
      node = child;
    }
  }
  return Object.fromEntries(
    Object.entries(root).map(([k, v]) => [k, typeof v === "string" ? v : withArrays(v)]),
  );
}
