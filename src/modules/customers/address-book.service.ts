import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { AppError, NotFoundError } from "../../kernel/errors.ts";
import { newId } from "../../kernel/ids.ts";
import { type Address, type AddressInput, validateAddress } from "./address.ts";
import { customerAddresses, customers } from "./customers.schema.ts";

export const MAX_ADDRESSES = 50;

export interface SavedAddress extends Address {
  id: string;
  isDefaultShipping: boolean;
  isDefaultBilling: boolean;
}

export interface AddressBookInput extends AddressInput {
  isDefaultShipping?: boolean;
  isDefaultBilling?: boolean;
}

type Row = typeof customerAddresses.$inferSelect;

function toSaved(row: Row): SavedAddress {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    company: row.company,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    province: row.province,
    postalCode: row.postalCode,
    country: row.country,
    phone: row.phone,
    isDefaultShipping: row.isDefaultShipping,
    isDefaultBilling: row.isDefaultBilling,
  };
}

/** Serialises address-book writes of one customer (defaults and the limit stay consistent). */
async function lockCustomer(ctx: Ctx, customerId: string): Promise<void> {
  const [row] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.id, customerId))
    .for("update");
  if (!row) throw new NotFoundError("customer", customerId);
}

async function findOwned(ctx: Ctx, customerId: string, id: string): Promise<Row> {
  const [row] = await ctx.db
    .select()
    .from(customerAddresses)
    .where(and(eq(customerAddresses.id, id), eq(customerAddresses.customerId, customerId)));
  if (!row) throw new NotFoundError("address", id);
  return row;
}

/** Clears the other addresses' default flags that `flags` is about to take over. */
async function takeDefaults(ctx: Ctx, customerId: string, flags: { shipping: boolean; billing: boolean }) {
  if (flags.shipping) {
    await ctx.db
      .update(customerAddresses)
      .set({ isDefaultShipping: false })
      .where(
        and(eq(customerAddresses.customerId, customerId), eq(customerAddresses.isDefaultShipping, true)),
      );
  }
  if (flags.billing) {
    await ctx.db
      .update(customerAddresses)
      .set({ isDefaultBilling: false })
      .where(and(eq(customerAddresses.customerId, customerId), eq(customerAddresses.isDefaultBilling, true)));
  }
}

/** The address book, defaults first, then oldest first. */
export async function listAddresses(ctx: Ctx, customerId: string): Promise<SavedAddress[]> {
  const rows = await ctx.db
    .select()
    .from(customerAddresses)
    .where(eq(customerAddresses.customerId, customerId))
    .orderBy(
      desc(customerAddresses.isDefaultShipping),
      desc(customerAddresses.isDefaultBilling),
      asc(customerAddresses.id),
    );
  return rows.map(toSaved);
}

/** Adds a validated address. The first address becomes the default for shipping and billing. */
export async function addAddress(
  ctx: Ctx,
  customerId: string,
  input: AddressBookInput,
): Promise<SavedAddress> {
  const address = validateAddress(input);
  await lockCustomer(ctx, customerId);
  const [{ n }] = (await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(customerAddresses)
    .where(eq(customerAddresses.customerId, customerId))) as [{ n: number }];
  if (n >= MAX_ADDRESSES)
    throw new AppError(
      422,
      "address.limit_reached",
      `An address book holds at most ${MAX_ADDRESSES} addresses`,
    );
  const shipping = input.isDefaultShipping ?? n === 0;
  const billing = input.isDefaultBilling ?? n === 0;
  await takeDefaults(ctx, customerId, { shipping, billing });
  const [row] = await ctx.db
    .insert(customerAddresses)
    .values({
      id: newId("addr"),
      customerId,
      ...address,
      isDefaultShipping: shipping,
      isDefaultBilling: billing,
    })
    .returning();
  return toSaved(row!);
}

/** Changes fields of an address (null clears an optional one); the result is validated as a whole. */
export async function updateAddress(
  ctx: Ctx,
  customerId: string,
  id: string,
  patch: AddressBookInput,
): Promise<SavedAddress> {
  await lockCustomer(ctx, customerId);
  const current = await findOwned(ctx, customerId, id);
  const { isDefaultShipping, isDefaultBilling, ...fields } = patch;
  const address = validateAddress({ ...toSaved(current), ...fields });
  // A default is given up by choosing another address, not by unsetting it here.
  const shipping = isDefaultShipping === true || current.isDefaultShipping;
  const billing = isDefaultBilling === true || current.isDefaultBilling;
  await takeDefaults(ctx, customerId, {
    shipping: shipping && !current.isDefaultShipping,
    billing: billing && !current.isDefaultBilling,
  });
  const [row] = await ctx.db
    .update(customerAddresses)
    .set({ ...address, isDefaultShipping: shipping, isDefaultBilling: billing, updatedAt: sql`now()` })
    .where(eq(customerAddresses.id, id))
    .returning();
  return toSaved(row!);
}

/** Deletes an address; a default it held passes to the newest remaining address. */
export async function deleteAddress(ctx: Ctx, customerId: string, id: string): Promise<void> {
  await lockCustomer(ctx, customerId);
  const current = await findOwned(ctx, customerId, id);
  await ctx.db.delete(customerAddresses).where(eq(customerAddresses.id, id));
  if (!current.isDefaultShipping && !current.isDefaultBilling) return;
  const [next] = await ctx.db
    .select({ id: customerAddresses.id })
    .from(customerAddresses)
    .where(eq(customerAddresses.customerId, customerId))
    .orderBy(desc(customerAddresses.id))
    .limit(1);
  if (!next) return;
  await ctx.db
    .update(customerAddresses)
    .set({
      ...(current.isDefaultShipping ? { isDefaultShipping: true } : {}),
      ...(current.isDefaultBilling ? { isDefaultBilling: true } : {}),
    })
    .where(eq(customerAddresses.id, next.id));
}
