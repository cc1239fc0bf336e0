import { asc, eq, or, sql } from "drizzle-orm";
import { queryRows, sqlList } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import {
  attributeDefinitions,
  type CollectionRules,
  categories,
  collectionProducts,
  collections,
  type LocalizedText,
} from "./catalog.schema.ts";

export interface CategoryInput {
  handle: string;
  parent?: string | null;
  position?: number;
  name: LocalizedText;
}

export interface CollectionInput {
  handle: string;
  kind: "manual" | "rule";
  rules?: CollectionRules | null;
  title: LocalizedText;
  description?: LocalizedText;
  /** Manual collections: product ids or handles, in display order. */
  products?: string[];
}

export type AttributeDefinition = typeof attributeDefinitions.$inferSelect;

function requireName(text: LocalizedText, field: string) {
  if (Object.keys(text).length === 0 || Object.values(text).some((v) => !v.trim())) {
    throw new ValidationError("localized.empty", `${field} needs at least one non-empty translation`);
  }
}

export async function listCategories(ctx: Ctx) {
  return ctx.db.select().from(categories).orderBy(asc(categories.position), asc(categories.handle));
}

export async function getCategory(ctx: Ctx, idOrHandle: string) {
  const [row] = await ctx.db
    .select()
    .from(categories)
    .where(or(eq(categories.id, idOrHandle), eq(categories.handle, idOrHandle)));
  if (!row) throw new NotFoundError("category", idOrHandle);
  return row;
}

/** The ids of a category and all its descendants. */
export async function categorySubtree(ctx: Ctx, idOrHandle: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    ctx.db,
    sql`with recursive tree as (
      select id from categories where id = ${idOrHandle} or handle = ${idOrHandle}
      union all select c.id from categories c join tree t on c.parent_id = t.id)
    select id from tree`,
  );
  return rows.map((r) => r.id);
}

export async function createCategory(ctx: Ctx, input: CategoryInput) {
  requireName(input.name, "name");
  const parentId = input.parent ? (await getCategory(ctx, input.parent)).id : null;
  const [row] = await ctx.db
    .insert(categories)
    .values({
      id: newId("cat"),
      handle: input.handle,
      parentId,
      position: input.position ?? 0,
      name: input.name,
    })
    .returning();
  await emit(ctx, "category.created", { categoryId: row!.id });
  return row!;
}

export async function updateCategory(ctx: Ctx, idOrHandle: string, patch: Partial<CategoryInput>) {
  const current = await getCategory(ctx, idOrHandle);
  if (patch.name) requireName(patch.name, "name");
  let parentId: string | null | undefined;
  if (patch.parent !== undefined) {
    parentId = patch.parent ? (await getCategory(ctx, patch.parent)).id : null;
    if (parentId && (await categorySubtree(ctx, current.id)).includes(parentId)) {
      throw new ValidationError("category.cycle", "A category cannot move under itself or its descendants");
    }
  }
  const [row] = await ctx.db
    .update(categories)
    .set({ handle: patch.handle, parentId, position: patch.position, name: patch.name })
    .where(eq(categories.id, current.id))
    .returning();
  return row!;
}

export async function deleteCategory(ctx: Ctx, idOrHandle: string) {
  const current = await getCategory(ctx, idOrHandle);
  const [child] = await ctx.db.select().from(categories).where(eq(categories.parentId, current.id)).limit(1);
  if (child) throw new ConflictError("category.has_children", "Move or delete the subcategories first");
  await ctx.db.delete(categories).where(eq(categories.id, current.id));
}

function validateCollection(input: Partial<CollectionInput>, kind: "manual" | "rule") {
  if (input.title) requireName(input.title, "title");
  if (kind === "rule") {
    if (input.products?.length)
      throw new ValidationError("collection.rule_products", "Rule collections pick their own products");
    if (input.rules !== undefined && !input.rules?.conditions.length) {
      throw new ValidationError("collection.no_rules", "A rule collection needs at least one condition");
    }
  } else if (input.rules) {
    throw new ValidationError("collection.manual_rules", "Manual collections have no rules");
  }
}

export async function listCollections(ctx: Ctx) {
  return ctx.db.select().from(collections).orderBy(asc(collections.handle));
}

export async function getCollection(ctx: Ctx, idOrHandle: string) {
  const [row] = await ctx.db
    .select()
    .from(collections)
    .where(or(eq(collections.id, idOrHandle), eq(collections.handle, idOrHandle)));
  if (!row) throw new NotFoundError("collection", idOrHandle);
  return row;
}

async function setCollectionProducts(ctx: Ctx, collectionId: string, refs: string[]) {
  await ctx.db.delete(collectionProducts).where(eq(collectionProducts.collectionId, collectionId));
  if (refs.length === 0) return;
  const rows = await queryRows<{ id: string; handle: string }>(
    ctx.db,
    sql`select id, handle from products where id in (${sqlList(refs)})
        or handle in (${sqlList(refs)})`,
  );
  const ids = refs.map((ref) => {
    const hit = rows.find((r) => r.id === ref || r.handle === ref);
    if (!hit) throw new ValidationError("product.unknown", `No product "${ref}"`);
    return hit.id;
  });
  await ctx.db
    .insert(collectionProducts)
    .values([...new Set(ids)].map((productId, position) => ({ collectionId, productId, position })));
}

export async function createCollection(ctx: Ctx, input: CollectionInput) {
  validateCollection(input, input.kind);
  if (input.kind === "rule" && !input.rules)
    throw new ValidationError("collection.no_rules", "A rule collection needs rules");
  const id = newId("col");
  await ctx.db.insert(collections).values({
    id,
    handle: input.handle,
    kind: input.kind,
    rules: input.rules ?? null,
    title: input.title,
    description: input.description ?? {},
  });
  if (input.products) await setCollectionProducts(ctx, id, input.products);
  await emit(ctx, "collection.created", { collectionId: id });
  return getCollection(ctx, id);
}

export async function updateCollection(
  ctx: Ctx,
  idOrHandle: string,
  patch: Partial<Omit<CollectionInput, "kind">>,
) {
  const current = await getCollection(ctx, idOrHandle);
  validateCollection(patch, current.kind);
  await ctx.db
    .update(collections)
    .set({ handle: patch.handle, rules: patch.rules, title: patch.title, description: patch.description })
    .where(eq(collections.id, current.id));
  if (patch.products) await setCollectionProducts(ctx, current.id, patch.products);
  return getCollection(ctx, current.id);
}

export async function deleteCollection(ctx: Ctx, idOrHandle: string) {
  const current = await getCollection(ctx, idOrHandle);
  await ctx.db.delete(collections).where(eq(collections.id, current.id));
}

/** SQL condition that product `p` belongs to the collection (manual membership or matching rules). */
export function collectionMembership(collection: typeof collections.$inferSelect): ReturnType<typeof sql> {
  if (collection.kind === "manual") {
    return sql`exists (select 1 from collection_products cp where cp.collection_id = ${collection.id} and cp.product_id = p.id)`;
  }
  const rules = collection.rules!;
  const parts = rules.conditions.map((c) => {
    const hit =
      c.field === "tag"
        ? sql`${c.value} = any(p.tags)`
        : c.field === "vendor"
          ? sql`p.vendor = ${c.value}`
          : c.field === "product_type"
            ? sql`p.product_type = ${c.value}`
            : sql`p.category_id in (select id from categories where id = ${c.value} or handle = ${c.value})`;
    return c.op === "equals" ? hit : sql`not coalesce(${hit}, false)`;
  });
  return sql`(${sql.join(parts, rules.match === "all" ? sql` and ` : sql` or `)})`;
}

export async function listAttributeDefinitions(ctx: Ctx) {
  return ctx.db.select().from(attributeDefinitions).orderBy(asc(attributeDefinitions.key));
}

export async function upsertAttributeDefinition(ctx: Ctx, def: typeof attributeDefinitions.$inferInsert) {
  if (!/^[a-z][a-zA-Z0-9_]{0,62}$/.test(def.key)) {
    throw new ValidationError(
      "attribute.invalid_key",
      "Attribute keys start with a lowercase letter: letters, digits, _",
    );
  }
  const [row] = await ctx.db
    .insert(attributeDefinitions)
    .values(def)
    .onConflictDoUpdate({ target: attributeDefinitions.key, set: def })
    .returning();
  return row!;
}

export async function deleteAttributeDefinition(ctx: Ctx, key: string) {
  const [used] = await queryRows(ctx.db, sql`select 1 from products where attributes ? ${key} limit 1`);
  if (used) throw new ConflictError("attribute.in_use", `Products still use attribute "${key}"`);
  const deleted = await ctx.db
    .delete(attributeDefinitions)
    .where(eq(attributeDefinitions.key, key))
    .returning();
  if (!deleted.length) throw new NotFoundError("attribute", key);
}
