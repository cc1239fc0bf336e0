import { and, desc, ilike, lt, type SQL } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { decodeCursor, type Page, toPage } from "../../kernel/paging.ts";
import { type Customer, getCustomer, toCustomer } from "./accounts.service.ts";
import { listAddresses, type SavedAddress } from "./address-book.service.ts";
import { type ConsentState, currentConsents } from "./consents.service.ts";
import { customers } from "./customers.schema.ts";

export interface CustomerDetail extends Customer {
  addresses: SavedAddress[];
  consents: ConsentState[];
}

/** Admin customer list, newest first; `email` matches part of the address, case-insensitively. */
export async function listCustomers(
  ctx: Ctx,
  filter: { email?: string; limit?: number; cursor?: string },
): Promise<Page<Customer>> {
  const limit = Math.min(filter.limit ?? 50, 250);
  const where: SQL[] = [];
  if (filter.email) {
    const like = `%${filter.email.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(ilike(customers.email, like));
  }
  if (filter.cursor) where.push(lt(customers.id, String(decodeCursor(filter.cursor, 1)[0])));
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(and(...where))
    .orderBy(desc(customers.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.id]);
  return { nextCursor: page.nextCursor, items: page.items.map(toCustomer) };
}

/** A customer with their address book and current marketing consents. */
export async function getCustomerDetail(ctx: Ctx, id: string): Promise<CustomerDetail> {
  const customer = await getCustomer(ctx, id);
  return {
    ...customer,
    addresses: await listAddresses(ctx, id),
    consents: await currentConsents(ctx, id),
  };
}
