import { type Config, ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { buildApp } from "./http/app.ts";
import { systemCtx } from "./kernel/context.ts";
import { JobRunner } from "./kernel/jobs.ts";
import { eventHandlers, scheduledTasks } from "./modules/handlers.ts";
import { mailDelivery } from "./modules/messaging/index.ts";
import { createPaymentProviders } from "./modules/payments/index.ts";
import { seedDemo } from "./seed/demo.ts";

const USAGE = `Usage: chuhai <command>
  start     migrate, seed the demo brand if the database is empty, and serve HTTP
  migrate   apply database migrations
  seed      seed the demo brand (idempotent)`;

async function openMigrated(config: Config) {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await migrateDatabase(database);
  return database;
}

async function start(config: Config): Promise<void> {
  const database = await openMigrated(config);
  if (config.seedDemo) await seedDemo(systemCtx(database.db, "seed"), { mediaDir: config.dataDir });
  const payments = createPaymentProviders(database.db, {
    appSecret: config.appSecret,
    publicUrl: config.publicUrl,
    testProvider: config.testPayments,
    stripe: config.stripe,
  });
  const app = await buildApp({ config, database, payments });
  const mail = mailDelivery(config);
  const jobs = config.runJobs
    ? new JobRunner(database, {
        handlers: [...eventHandlers, ...mail.handlers],
        schedules: [...scheduledTasks({ payments }), ...mail.schedules],
        onError: (err) => app.log.error({ err }, "job runner"),
      })
    : undefined;
  await app.listen({ host: config.host, port: config.port });
  // Requests are served while the job runner starts (it only needs the database).
  await jobs?.start();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    await app.close();
    await jobs?.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  switch (command) {
    case "start":
      return start(config);
    case "migrate": {
      const database = await openMigrated(config);
      await database.close();
      console.log("migrations applied");
      return;
    }
    case "seed": {
      const database = await openMigrated(config);
      const result = await seedDemo(systemCtx(database.db, "seed"), { mediaDir: config.dataDir });
      await database.close();
      console.log(JSON.stringify(result));
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
