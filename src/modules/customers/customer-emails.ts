import type { Ctx } from "../../kernel/context.ts";
import { negotiateLocale } from "../../kernel/locale.ts";
import { queueEmail } from "../messaging/index.ts";

export type AccountEmail = "verify_email" | "reset_password" | "claim_account";

interface Copy {
  subject: string;
  greeting: (name: string | null) => string;
  body: string;
  action: string;
  footer: string;
}

const COPY: Record<string, Record<AccountEmail, Copy>> = {
  en: {
    verify_email: {
      subject: "Confirm your email address",
      greeting: (name) => (name ? `Hello ${name},` : "Hello,"),
      body: "Please confirm your email address by opening this link:",
      action: "Confirm email address",
      footer: "The link is valid for 3 days. If you did not create an account, you can ignore this email.",
    },
    reset_password: {
      subject: "Reset your password",
      greeting: (name) => (name ? `Hello ${name},` : "Hello,"),
      body: "To choose a new password, open this link:",
      action: "Choose a new password",
      footer:
        "The link is valid for 1 hour and works once. If you did not ask for a new password, ignore this email; your password stays the same.",
    },
    claim_account: {
      subject: "Create your account",
      greeting: (name) => (name ? `Hello ${name},` : "Hello,"),
      body: "You have ordered from us with this address. To create your account, choose a password here:",
      action: "Choose a password",
      footer:
        "The link is valid for 1 hour and works once. If you did not try to sign up, ignore this email.",
    },
  },
  de: {
    verify_email: {
      subject: "Bestätigen Sie Ihre E-Mail-Adresse",
      greeting: (name) => (name ? `Hallo ${name},` : "Hallo,"),
      body: "bitte bestätigen Sie Ihre E-Mail-Adresse über diesen Link:",
      action: "E-Mail-Adresse bestätigen",
      footer:
        "Der Link ist 3 Tage gültig. Wenn Sie kein Konto angelegt haben, können Sie diese E-Mail ignorieren.",
    },
    reset_password: {
      subject: "Passwort zurücksetzen",
      greeting: (name) => (name ? `Hallo ${name},` : "Hallo,"),
      body: "um ein neues Passwort festzulegen, öffnen Sie diesen Link:",
      action: "Neues Passwort festlegen",
      footer:
        "Der Link ist 1 Stunde gültig und funktioniert einmal. Wenn Sie kein neues Passwort angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.",
    },
    claim_account: {
      subject: "Ihr Kundenkonto anlegen",
      greeting: (name) => (name ? `Hallo ${name},` : "Hallo,"),
      body: "Sie haben mit dieser Adresse bereits bei uns bestellt. Um Ihr Konto anzulegen, wählen Sie hier ein Passwort:",
      action: "Passwort wählen",
      footer:
        "Der Link ist 1 Stunde gültig und funktioniert einmal. Wenn Sie sich nicht registrieren wollten, ignorieren Sie diese E-Mail.",
    },
  },
  ja: {
    verify_email: {
      subject: "メールアドレスの確認",
      greeting: (name) => (name ? `${name} 様` : "お客様"),
      body: "以下のリンクを開いて、メールアドレスを確認してください。",
      action: "メールアドレスを確認する",
      footer: "リンクの有効期限は3日間です。お心当たりのない場合は、このメールを破棄してください。",
    },
    reset_password: {
      subject: "パスワードの再設定",
      greeting: (name) => (name ? `${name} 様` : "お客様"),
      body: "以下のリンクから新しいパスワードを設定してください。",
      action: "新しいパスワードを設定する",
      footer:
        "リンクの有効期限は1時間で、一度だけ使用できます。お心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。",
    },
    claim_account: {
      subject: "アカウントの作成",
      greeting: (name) => (name ? `${name} 様` : "お客様"),
      body: "このメールアドレスで以前ご注文いただいています。以下のリンクからパスワードを設定して、アカウントを作成してください。",
      action: "パスワードを設定する",
      footer:
        "リンクの有効期限は1時間で、一度だけ使用できます。お心当たりのない場合は、このメールを破棄してください。",
    },
  },
};

const PATHS: Record<AccountEmail, string> = {
  verify_email: "/account/verify",
  reset_password: "/account/reset-password",
  claim_account: "/account/reset-password",
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export interface AccountEmailInput {
  kind: AccountEmail;
  to: string;
  name: string | null;
  locale: string | null;
  token: string;
  /** The storefront's origin, e.g. "https://shop.example.com". */
  storeUrl: string;
}

/** Renders a verification or password-reset email in the customer's language and queues it. */
export async function queueAccountEmail(ctx: Ctx, input: AccountEmailInput): Promise<{ id: string }> {
  const locale = negotiateLocale(input.locale ? [input.locale] : [], Object.keys(COPY));
  const copy = COPY[locale]![input.kind];
  const link = `${input.storeUrl.replace(/\/+$/, "")}${PATHS[input.kind]}?token=${encodeURIComponent(input.token)}`;
  const greeting = copy.greeting(input.name);
  const text = `${greeting}\n\n${copy.body}\n${link}\n\n${copy.footer}\n`;
  const html = `<!doctype html><html lang="${locale}"><body>
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(copy.body)}</p>
<p><a href="${escapeHtml(link)}">${escapeHtml(copy.action)}</a></p>
<p style="color:#666">${escapeHtml(copy.footer)}</p>
</body></html>`;
  return queueEmail(ctx, {
    to: input.to,
    subject: copy.subject,
    text,
    html,
    template: `customer.${input.kind}`,
  });
}
