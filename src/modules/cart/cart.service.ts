import { and, eq, type SQL, sql } from "drizzle-orm";
import { runPrepared } from "../../db/client.ts";
import { type Ctx, visibleTo } from "../../kernel/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { newId, newSecretId } from "../../kernel/ids.ts";
import { negotiateLocale } from "../../kernel/locale.ts";
import { type SellableVariant, sellableVariants, storeScope } from "../catalog/index.ts";
import { validateAddress } from "../customers/index.ts";
import type { OrderAddress } from "../orders/index.ts";
import { loadPricingContext, type PricingContext } from "../pricing/index.ts";
import { requireVatId } from "../tax/index.ts";
import { type CartRow, priceCart } from "./cart.pricing.ts";
import { carts, type StoredCartLine } from "./cart.schema.ts";
import { type CartView, toCartView } from "./cart.view.ts";

const MAX_LINES = 100;
const MAX_QUANTITY = 999;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;

export interface CartItemInput {
  /** Variant id or SKU. */
  variant: string;
  quantity: number;
}

export interface CartPatch {
  email?: string | null;
  locale?: string;
  shippingAddress?: unknown;
  billingAddress?: unknown;
  shippingMethodId?: string | null;
  discountCodes?: string[];
  /** A business buyer's VAT number (checked; stored normalised), or null to remove it. */
  vatId?: string | null;
}

export interface CartCreate extends Omit<CartPatch, "shippingMethodId"> {
  market: string;
  items?: CartItemInput[];
}

function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e)) throw new ValidationError("cart.invalid_email", "Email address is not valid");
  return e;
}

const normalizeCodes = (codes: readonly string[]) => [
  ...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean)),
];

function checkQuantity(quantity: number) {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
    throw new ValidationError("cart.invalid_quantity", `Quantity must be 1-${MAX_QUANTITY}`);
}

function addressIn(pricing: PricingContext, input: unknown, field: string): OrderAddress {
  const address = validateAddress(input as never) as OrderAddress;
  if (!pricing.market.countries.includes(address.country))
    throw new ValidationError(
      "cart.country_not_in_market",
      `${field}: ${address.country} is not a country of market ${pricing.market.code}`,
      { countries: pricing.market.countries },
    );
  return address;
}

/** Checks items against the market (sellable, in stock) and returns their lines with price snapshots. */
async function resolveItems(
  ctx: Ctx,
  pricing: PricingContext,
  locale: string,
  items: readonly CartItemInput[],
  alsoLoad: readonly string[] = [],
): Promise<Map<string, SellableVariant>> {
  for (const item of items) checkQuantity(item.quantity);
  const refs = [...new Set(items.map((i) => i.variant))];
  const bySku = await sellableVariants(ctx, storeScope(pricing, locale), [
    ...new Set([...refs, ...alsoLoad]),
  ]);
  const found = new Map<string, SellableVariant>();
  for (const v of bySku) {
    found.set(v.id, v);
    found.set(v.sku, v);
  }
  for (const ref of refs) {
    const v = found.get(ref);
    if (!v) throw new NotFoundError("variant", ref);
    if (!v.sellable)
      throw new ValidationError("cart.variant_unavailable", `Variant ${ref} is not sold in this market`, {
        variant: ref,
      });
  }
  return found;
}

function addLines(
  lines: StoredCartLine[],
  items: readonly CartItemInput[],
  variants: Map<string, SellableVariant>,
) {
  const next = lines.map((l) => ({ ...l }));
  for (const item of items) {
    const v = variants.get(item.variant)!;
    const existing = next.find((l) => l.variantId === v.id);
    if (existing) existing.quantity += item.quantity;
    else
      next.push({ id: newId("cli"), variantId: v.id, quantity: item.quantity, unitPrice: v.price!.amount });
  }
  for (const l of next) {
    checkQuantity(l.quantity);
    const v = variants.get(l.variantId);
    if (v && !v.allowBackorder && v.available < l.quantity)
      throw new ConflictError("inventory.insufficient_stock", `Only ${v.available} of ${v.sku} available`, {
        variant: v.sku,
        available: v.available,
      });
  }
  if (next.length > MAX_LINES)
    throw new ValidationError("cart.too_many_lines", `A cart holds at most ${MAX_LINES} lines`);
  return next;
}

/**
 * Opens a cart in a market, optionally with items, contact and address in the same call. Every
 * cart write is a single statement (a version-checked update), so none needs a transaction.
 * @example await createCart(ctx, { market: "eu", locale: "de", items: [{ variant: "YS-RSJ-M", quantity: 1 }] })
 */
export async function createCart(ctx: Ctx, input: CartCreate): Promise<CartView> {
  const pricing = await loadPricingContext(ctx, input.market);
  const locale = negotiateLocale([input.locale ?? pricing.market.locales[0]!], pricing.market.locales);
  const items = input.items ?? [];
  const variants = items.length ? await resolveItems(ctx, pricing, locale, items) : new Map();
  const customerId = ctx.actor.kind === "customer" ? ctx.actor.id : null;
  const [row] = await runPrepared(
    ctx.db
      .insert(carts)
      .values({
        id: newSecretId("cart"),
        marketId: pricing.market.id,
        currency: pricing.market.currency,
        locale,
        customerId,
        email: input.email ? normalizeEmail(input.email) : null,
        lines: addLines([], items, variants),
        shippingAddress: input.shippingAddress
          ? addressIn(pricing, input.shippingAddress, "shippingAddress")
          : null,
        billingAddress: input.billingAddress
          ? (validateAddress(input.billingAddress as never) as OrderAddress)
          : null,
        discountCodes: normalizeCodes(input.discountCodes ?? []),
      })
      .returning(),
  );
  return toCartView(await priceCart(ctx, row!, { pricing, variants: uniqueVariants(variants) }));
}

const uniqueVariants = (byRef: Map<string, SellableVariant>) => [...new Set(byRef.values())];

/** Loads a cart; a customer's cart is visible only to that customer. */
export async function loadCart(ctx: Ctx, cartId: string): Promise<CartRow> {
  const [row] = await runPrepared(ctx.db.select().from(carts).where(eq(carts.id, cartId)));
  if (!row || !visibleTo(ctx.actor, row.customerId)) throw new NotFoundError("cart", cartId);
  return row;
}

export async function getCart(ctx: Ctx, cartId: string): Promise<CartView> {
  return toCartView(await priceCart(ctx, await loadCart(ctx, cartId)));
}

function assertOpen(cart: CartRow) {
  if (cart.status !== "open")
    throw new ConflictError("cart.not_open", `The cart is ${cart.status}`, { orderId: cart.orderId });
}

/** Writes a changed cart if nobody changed it meanwhile (else 409 cart.conflict: reload and retry). */
async function save(ctx: Ctx, cart: CartRow, set: Partial<CartRow>): Promise<CartRow> {
  const [row] = await runPrepared(
    ctx.db
      .update(carts)
      .set({ ...set, version: cart.version + 1, updatedAt: new Date() })
      .where(and(eq(carts.id, cart.id), eq(carts.version, cart.version), eq(carts.status, "open")))
      .returning(),
  );
  if (!row) throw new ConflictError("cart.conflict", "The cart changed meanwhile; reload it and try again");
  return row;
}

/** Adds items (merging with lines of the same variant); line prices are snapshotted. */
export async function addItems(ctx: Ctx, cartId: string, items: CartItemInput[]): Promise<CartView> {
  const cart = await loadCart(ctx, cartId);
  assertOpen(cart);
  const pricing = await loadPricingContext(ctx, cart.marketId);
  const variants = await resolveItems(
    ctx,
    pricing,
    cart.locale,
    items,
    cart.lines.map((l) => l.variantId),
  );
  const saved = await save(ctx, cart, { lines: addLines(cart.lines, items, variants) });
  return toCartView(await priceCart(ctx, saved, { pricing, variants: uniqueVariants(variants) }));
}

/** Sets a line's quantity; 0 removes it. Other lines' price snapshots are refreshed. */
export async function setLineQuantity(
  ctx: Ctx,
  cartId: string,
  lineId: string,
  quantity: number,
): Promise<CartView> {
  const cart = await loadCart(ctx, cartId);
  assertOpen(cart);
  const line = cart.lines.find((l) => l.id === lineId);
  if (!line) throw new NotFoundError("cart_line", lineId);
  if (quantity === 0) {
    const saved = await save(ctx, cart, { lines: cart.lines.filter((l) => l.id !== lineId) });
    return toCartView(await priceCart(ctx, saved));
  }
  checkQuantity(quantity);
  const pricing = await loadPricingContext(ctx, cart.marketId);
  const others = cart.lines.map((l) => l.variantId);
  const variants = await resolveItems(
    ctx,
    pricing,
    cart.locale,
    [{ variant: line.variantId, quantity }],
    others,
  );
  const lines = cart.lines.map((l) => (l.id === lineId ? { ...l, quantity } : l));
  const saved = await save(ctx, cart, { lines: addLines(lines, [], variants) });
  return toCartView(await priceCart(ctx, saved, { pricing, variants: uniqueVariants(variants) }));
}

/** Contact, locale, addresses, shipping method and discount codes: the checkout steps. */
export async function updateCart(ctx: Ctx, cartId: string, patch: CartPatch): Promise<CartView> {
  const cart = await loadCart(ctx, cartId);
  assertOpen(cart);
  const pricing = await loadPricingContext(ctx, cart.marketId);
  const set: Partial<CartRow> = {};
  if (patch.email !== undefined) set.email = patch.email === null ? null : normalizeEmail(patch.email);
  if (patch.locale !== undefined) set.locale = negotiateLocale([patch.locale], pricing.market.locales);
  if (patch.shippingAddress !== undefined)
    set.shippingAddress =
      patch.shippingAddress === null ? null : addressIn(pricing, patch.shippingAddress, "shippingAddress");
  if (patch.billingAddress !== undefined)
    set.billingAddress =
      patch.billingAddress === null ? null : (validateAddress(patch.billingAddress as never) as OrderAddress);
  if (patch.discountCodes !== undefined) set.discountCodes = normalizeCodes(patch.discountCodes);
  if (patch.vatId !== undefined)
    set.buyerVatId =
      patch.vatId === null ? null : requireVatId(patch.vatId, "cart.invalid_vat_id").normalized;
  if (patch.shippingMethodId !== undefined) set.shippingMethodId = patch.shippingMethodId;
  // Priced before saving, so a shipping method the address cannot get is refused with nothing written.
  const priced = await priceCart(ctx, { ...cart, ...set }, { pricing });
  if (patch.shippingMethodId && !priced.shippingMethod)
    throw new ValidationError(
      "cart.shipping_method_unavailable",
      "That shipping method is not offered for this cart's address",
      { options: priced.shippingOptions.map((o) => o.methodId) },
    );
  const saved = await save(ctx, cart, set);
  return toCartView({ ...priced, cart: saved });
}

/** Refreshes the price snapshots to the live prices (after the buyer saw cart.prices_changed). */
export async function refreshSnapshots(ctx: Ctx, cart: CartRow, prices: Map<string, number>): Promise<void> {
  const lines = cart.lines.map((l) => ({ ...l, unitPrice: prices.get(l.id) ?? l.unitPrice }));
  await ctx.db
    .update(carts)
    .set({ lines, version: sql`${carts.version} + 1`, updatedAt: new Date() })
    .where(eq(carts.id, cart.id));
}

/** Locks a cart for completion; concurrent completions of one cart queue here. */
export async function lockCart(ctx: Ctx, cartId: string): Promise<CartRow> {
  const [row] = await runPrepared(ctx.db.select().from(carts).where(eq(carts.id, cartId)).for("update"));
  if (!row || !visibleTo(ctx.actor, row.customerId)) throw new NotFoundError("cart", cartId);
  return row;
}

/** The CTE that marks a cart completed by an order, for a statement composed by a flow. */
export function completeCartPart(cartId: string, orderId: string): { ctes: SQL } {
  return {
    ctes: sql`completed_cart as (
      update carts set status = 'completed', order_id = ${orderId}, version = version + 1, updated_at = now()
      where id = ${cartId}
    )`,
  };
}

/**
 * Attaches a guest cart to the signed-in customer (call it right after login). If the customer
 * already has an open cart in the same market, its lines are merged into this one (quantities
 * added) and it is closed as `merged`, so one cart follows the customer across devices.
 * @example await claimCart(ctx, cartId) // ctx.actor is the customer
 */
export async function claimCart(
  ctx: Ctx,
  cartId: string,
  customer: { id: string; email: string },
): Promise<CartView> {
  const cart = await loadCart(ctx, cartId);
  assertOpen(cart);
  if (cart.customerId && cart.customerId !== customer.id) throw new NotFoundError("cart", cartId);
  const [other] = await ctx.db
    .select()
    .from(carts)
    .where(
      and(
        eq(carts.customerId, customer.id),
        eq(carts.marketId, cart.marketId),
        eq(carts.status, "open"),
        sql`${carts.id} <> ${cart.id}`,
      ),
    )
    .orderBy(sql`${carts.updatedAt} desc`)
    .limit(1)
    .for("update");
  const lines = cart.lines.map((l) => ({ ...l }));
  for (const line of other?.lines ?? []) {
    const same = lines.find((l) => l.variantId === line.variantId);
    if (same) same.quantity = Math.min(same.quantity + line.quantity, MAX_QUANTITY);
    else lines.push({ ...line });
  }
  if (other)
    await ctx.db
      .update(carts)
      .set({ status: "merged", version: sql`${carts.version} + 1`, updatedAt: new Date() })
      .where(eq(carts.id, other.id));
  const saved = await save(ctx, cart, {
    customerId: customer.id,
    email: cart.email ?? customer.email,
    lines: lines.slice(0, MAX_LINES),
    discountCodes: [...new Set([...cart.discountCodes, ...(other?.discountCodes ?? [])])],
  });
  return toCartView(await priceCart(ctx, saved));
}

/** The signed-in customer's most recent open cart in a market, if any. */
export async function customerCart(
  ctx: Ctx,
  customerId: string,
  marketId: string,
): Promise<CartRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(carts)
    .where(and(eq(carts.customerId, customerId), eq(carts.marketId, marketId), eq(carts.status, "open")))
    .orderBy(sql`${carts.updatedAt} desc`)
    .limit(1);
  return row;
}
