/**
 * Messaging: the mail outbox. Modules queue email in their own transaction; the job runner sends
 * it over SMTP with retries, and the Admin API shows it (the development outbox viewer).
 * @example await queueEmail(tx, { to: "ana@example.com", subject: "Welcome", text: "…", template: "welcome" })
 */

/**
 * Job-runner wiring for SMTP delivery (none without an SMTP URL: mail then stays queued).
 * @example const mail = mailDelivery({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom })
 */
export { deliverDueEmails, deliverEmail, type Mailer, mailDelivery, smtpMailer } from "./delivery.ts";
/**
 * Admin API routes: `GET /emails`, `GET /emails/:id`.
 * @example await app.register(messagingAdminRoutes)
 */
export { messagingAdminRoutes } from "./messaging.routes.ts";
/**
 * Queue an email in the caller's transaction; read the outbox.
 * @example const { id } = await queueEmail(tx, { to, subject, text, html, template: "customer.verify_email" })
 */
export { type EmailInput, type EmailMessage, getEmail, listEmails, queueEmail } from "./outbox.service.ts";
