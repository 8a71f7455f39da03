// The mail job's settings, from the one config (lib/config.ts; docs/api.md,
// "Environment"; docs/ssot, "Outbox standard").
import { config } from '@/lib/config';
import { backoffMs } from '@/lib/jobs/backoff';

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

export function outboxConfig(): OutboxConfig {
  const env = config();
  const appOrigin = env.APP_ORIGIN ?? `http://localhost:${env.PORT}`;
  return {
    smtpUrl: env.SMTP_URL ?? null,
    from: env.MAIL_FROM ?? `Events <no-reply@${new URL(appOrigin).hostname}>`,
    appOrigin,
    leaseMs: env.OUTBOX_LEASE_MS,
    pollMs: env.OUTBOX_POLL_MS,
    batchSize: env.OUTBOX_BATCH_SIZE,
    maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
    retryBaseMs: env.OUTBOX_RETRY_BASE_MS,
    retryMaxMs: env.OUTBOX_RETRY_MAX_MS,
    smtpConnections: env.OUTBOX_SMTP_CONNECTIONS,
    lanes: Math.round(env.OUTBOX_LANES),
  };
}

/** `<outbox-<id>@<host>>`: the same for every attempt at one row, so a resend is recognisable. */
export function messageIdOf(outboxId: string, appOrigin: string): string {
  return `<outbox-${outboxId}@${new URL(appOrigin).hostname}>`;
}

/** Exponential backoff with ±20 % jitter: base·2^(attempt-1), capped. */
export function retryDelayMs(attempt: number, settings: Pick<OutboxConfig, 'retryBaseMs' | 'retryMaxMs'>, random = Math.random): number {
  return backoffMs(attempt, { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs, jitter: 0.2 }, random);
}
