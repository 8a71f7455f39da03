// The mail worker's settings, read from the environment once per call
// (docs/api.md, "Environment"; docs/ssot, "Outbox standard").

export type OutboxConfig = {
  /** nodemailer's connection URL (smtp://user:pass@host:587, smtps://…); null: the worker does not send. */
  smtpUrl: string | null;
  /** The From: of every message. */
  from: string;
  /** Absolute links in the mails (manage link, event page) start with this; also the Message-ID host. */
  appOrigin: string;
  /** How long a claimed message is ours before another worker may take it again. */
  leaseMs: number;
  /** How often an idle worker looks for due messages (the app's own worker is also woken after each commit that wrote rows). */
  pollMs: number;
  /** Messages claimed per round. */
  batchSize: number;
  /** Attempts before a message is left `failed`. */
  maxAttempts: number;
  /** First retry delay; doubled per attempt (with jitter), capped at retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Parallel SMTP connections of one worker. */
  smtpConnections: number;
  /** Claim-send-mark loops per worker: while one waits for its batch's slowest send, another claims. */
  lanes: number;
};

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

export function outboxConfig(): OutboxConfig {
  const port = process.env.PORT ?? '3000';
  const appOrigin = (process.env.APP_ORIGIN ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    smtpUrl: process.env.SMTP_URL || null,
    from: process.env.MAIL_FROM || `Events <no-reply@${new URL(appOrigin).hostname}>`,
    appOrigin,
    leaseMs: positive('OUTBOX_LEASE_MS', 60_000),
    pollMs: positive('OUTBOX_POLL_MS', 1000),
    batchSize: positive('OUTBOX_BATCH_SIZE', 50),
    maxAttempts: positive('OUTBOX_MAX_ATTEMPTS', 8),
    retryBaseMs: positive('OUTBOX_RETRY_BASE_MS', 5000),
    retryMaxMs: positive('OUTBOX_RETRY_MAX_MS', 60 * 60_000),
    smtpConnections: positive('OUTBOX_SMTP_CONNECTIONS', 5),
    lanes: Math.round(positive('OUTBOX_LANES', 2)),
  };
}

/** `<outbox-<id>@<host>>`: the same for every attempt at one row, so a resend is recognisable. */
export function messageIdOf(outboxId: string, appOrigin: string): string {
  return `<outbox-${outboxId}@${new URL(appOrigin).hostname}>`;
}

/** Exponential backoff with ±20 % jitter: base·2^(attempt-1), capped. */
export function retryDelayMs(attempt: number, config: Pick<OutboxConfig, 'retryBaseMs' | 'retryMaxMs'>, random = Math.random): number {
  const raw = Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}
