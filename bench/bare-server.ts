import Fastify from "fastify";

// The ceiling: a bare Fastify route answering a small JSON document, no database.
const app = Fastify({ logger: false });
app.get("/readyz", async () => ({ status: "ready" }));
app.get("/bare", async () => ({
  id: "prod_1",
  title: "Ridge Shell Jacket",
  price: { amount: 12900, currency: "USD" },
}));
await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT) });
