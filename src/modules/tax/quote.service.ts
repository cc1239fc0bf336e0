import type { Ctx } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";
import { landedCost } from "./landed-cost.ts";
import type { LandedCost, LandedCostInput } from "./landed-cost.types.ts";
import { isDay } from "./rules.admin.service.ts";
import { loadRuleSet } from "./rules.service.ts";
import { requireVatId } from "./vat-id.ts";

export interface QuoteInput extends Omit<LandedCostInput, "date" | "buyerVatCountry" | "lines"> {
  date?: string;
  buyerVatId?: string;
  lines: (Omit<LandedCostInput["lines"][number], "id" | "hsCode" | "originCountry" | "taxCategory"> & {
    id?: string;
    hsCode?: string | null;
    originCountry?: string | null;
    taxCategory?: string;
  })[];
}

/**
 * The landed cost of any basket, as the Admin API's calculator: the same rules and engine as the
 * checkout. A destination the rules cannot serve is a 400 with the engine's code.
 * @example await quoteLandedCost(ctx, { currency: "EUR", pricesIncludeTax: true, dutyMode: "DDP", destination: { country: "FR" }, shipping: 0, lines: [{ amount: 5000, quantity: 1, shipFrom: "CN", hsCode: "620140" }] })
 */
export async function quoteLandedCost(ctx: Ctx, input: QuoteInput): Promise<LandedCost> {
  const date = input.date ?? new Date().toISOString().slice(0, 10);
  if (!isDay(date))
    throw new ValidationError("tax.invalid_date", "date must be a real day written YYYY-MM-DD");
  const buyerVatCountry = input.buyerVatId
    ? requireVatId(input.buyerVatId, "tax.invalid_vat_id").country
    : null;
  const rules = await loadRuleSet(ctx, input.destination.country, input.currency, date);
  const result = landedCost(
    {
      ...input,
      date,
      buyerVatCountry,
      lines: input.lines.map((l, i) => ({
        ...l,
        id: l.id ?? String(i + 1),
        hsCode: l.hsCode ?? null,
        originCountry: l.originCountry ?? null,
        taxCategory: l.taxCategory ?? "standard",
      })),
    },
    rules,
  );
  if (result.blocked)
    throw new ValidationError(
      result.blocked,
      `No landed cost for ${input.destination.country}: ${result.blocked}`,
    );
  return result;
}
