// Every environment variable the server reads, parsed once with zod: defaults,
// units and a clear error naming the variable (docs/deploy.md lists the same
// names; lib/config.test.ts holds the two equal). Server only: the
// browser never sees this module. Read it through `config()`; a process that
// changes process.env (a test, scripts/dev.ts before it starts the app) gets
// the new values on the next call, because the parse is keyed on the raw values.
// A production process that started with `configOrExit()` (the server, the
// workers) keeps that parse: nothing changes its environment while it runs, and
// re-reading ~60 variables costs tens of microseconds per call.
import { processSingleton } from '@/lib/process-singleton';
import { z } from '@/lib/zod';

// Flags and switches take the spellings hosts' dashboards use (1/0, true/false,
// yes/no, on/off, any case): a deployment that said `true` keeps starting.
const TRUE = ['1', 'true', 'yes', 'on'] as const;
const FALSE = ['0', 'false', 'no', 'off'] as const;
const boolean = z.string().toLowerCase().pipe(z.enum([...TRUE, ...FALSE]));
const flag = boolean.transform((v) => (TRUE as readonly string[]).includes(v));
const onOff = boolean.transform((v): 'on' | 'off' => ((TRUE as readonly string[]).includes(v) ? 'on' : 'off'));
const positiveNumber = z.coerce.number().positive();
const positiveInt = z.coerce.number().int().positive();

/** Each variable, its parser and its default (absent and '' are the same: unset). */
const SCHEMA = z.object({
  // Runtime
  // Only `production` changes anything here; Next itself only warns about other values.
  NODE_ENV: z.string().default('development'),
  NEXT_RUNTIME: z.string().optional(),
  PORT: positiveInt.default(3000),
  APP_ORIGIN: z.url().transform((v) => v.replace(/\/$/, '')).optional(),
  // Only `silent` changes anything (info lines dropped); hosts often set `debug` or `warn`.
  LOG_LEVEL: z.string().toLowerCase().default('info'),
  INSECURE_COOKIES: flag.default(false),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Database
  DATABASE_URL: z.string().min(1).optional(),
  // Unset: 10 per app instance, 4 per `npm run worker` (lib/db/pool.ts, the worker scripts).
  DATABASE_POOL_MAX: positiveInt.optional(),
  // Unset: 5000, or 30000 on the embedded database, whose one session queues everyone.
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.optional(),
  DATABASE_IS_SUPABASE: flag.default(false),
  EMBEDDED_DB_DIR: z.string().optional(),
  EMBEDDED_DB_PORT: positiveInt.optional(),
  // `npm run dev` requests the main pages once after start (scripts/support/warm-up.ts); 0 turns that off.
  DEV_WARMUP: flag.default(true),
  // Auth. Next inlines NEXT_PUBLIC_* into browser bundles at build time, where only
  // a literal `process.env.NEXT_PUBLIC_…` is replaced; the server reads them here at
  // run time. No browser code reads them today; one that does must keep Next's literal form.
  NEXT_PUBLIC_SUPABASE_URL: z.url().optional(),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: z.string().optional(),
  API_KEY_RATE_LIMIT: positiveInt.default(600),
  // Media (event covers, lib/media): Supabase Storage when the project URL and this key are set, else local files.
  SUPABASE_SERVICE_ROLE_KEY: z.string().optional(),
  MEDIA_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'a Supabase Storage bucket name').default('media'),
  MEDIA_DIR: z.string().default('.data/media'),
  // Secrets of the deployment (32 bytes, base64url; stored in the database when unset)
  CHECKIN_SIGNING_KEY: z.string().optional(),
  ORDER_LINK_SECRET: z.string().optional(),
  CRON_SECRET: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  // Idempotency
  IDEMPOTENCY_LEASE_SECONDS: positiveNumber.default(15),
  // Payments
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: z.url().optional(),
  PAYMENTS_TEST_PROVIDER: flag.default(false),
  // Organiser payouts (docs/api.md, "Organiser payouts"): ticket money goes to each team's connected account.
  STRIPE_CONNECT: flag.default(false),
  STRIPE_CONNECT_WEBHOOK_SECRET: z.string().optional(),
  CREDIT_PACKS: z.string().default('1:500,5:2000,20:6000'),
  CREDIT_PACKS_CURRENCY: z.string().default('eur'),
  // Tickets
  HOLD_MINUTES: positiveNumber.default(30),
  TICKETS_SWEEP_MS: z.coerce.number().min(50).default(5000),
  REFUNDS_POLL_SECONDS: positiveNumber.default(60),
  REFUNDS_LEASE_SECONDS: positiveNumber.default(60),
  // Mail
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().optional(),
  MAIL_CATCHER_DIR: z.string().optional(),
  OUTBOX_LEASE_MS: positiveNumber.default(60_000),
  OUTBOX_POLL_MS: positiveNumber.default(1000),
  OUTBOX_BATCH_SIZE: positiveNumber.default(50),
  OUTBOX_MAX_ATTEMPTS: positiveNumber.default(8),
  OUTBOX_RETRY_BASE_MS: positiveNumber.default(5000),
  OUTBOX_RETRY_MAX_MS: positiveNumber.default(60 * 60_000),
  OUTBOX_SMTP_CONNECTIONS: positiveNumber.default(5),
  OUTBOX_LANES: positiveNumber.default(2),
  // Webhooks
  WEBHOOKS_TIMEOUT_MS: positiveNumber.default(10_000),
  // The lease is at least twice WEBHOOKS_TIMEOUT_MS, whatever this says (lib/webhooks/config.ts).
  WEBHOOKS_LEASE_MS: positiveNumber.default(60_000),
  WEBHOOKS_POLL_MS: positiveNumber.default(1000),
  WEBHOOKS_CONCURRENCY: positiveNumber.default(16),
  WEBHOOKS_PER_ENDPOINT: positiveNumber.default(4),
  /** Seconds after each failed attempt, comma-separated (Standard Webhooks' schedule). */
  WEBHOOKS_RETRY_SCHEDULE: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)*$/, 'positive seconds, comma-separated')
    .refine((v) => v.split(',').every((s) => Number(s) > 0), 'positive seconds, comma-separated')
    .default('5,300,1800,7200,18000,36000,36000'),
  WEBHOOKS_ALLOW_PRIVATE: flag.default(false),
  // Background jobs in the server process (one switch per job, lib/worker/jobs.ts; docs/deploy.md)
  OUTBOX_WORKER: onOff.default('on'),
  WEBHOOK_WORKER: onOff.default('on'),
  HOLDS_WORKER: onOff.optional(),
  REFUNDS_WORKER: onOff.optional(),
  /** Both ticket jobs (holds, refunds) where their own switch is unset. */
  TICKETS_WORKER: onOff.default('on'),
  // Fault injection (reliability tests only)
  ENABLE_FAULT_INJECTION: flag.default(false),
  FAULT_DELAY_AFTER_CLAIM_MS: z.coerce.number().min(0).default(0),
  FAULT_DELAY_AFTER_SMTP_ACCEPT_MS: z.coerce.number().min(0).default(0),
  FAULT_DELAY_AFTER_REFUND_MS: z.coerce.number().min(0).default(0),
});

export type Config = z.infer<typeof SCHEMA>;
export const CONFIG_VARIABLES = Object.keys(SCHEMA.shape) as (keyof Config)[];

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string, value: string) {
    super(`${variable}: ${detail} (got ${JSON.stringify(value)})`);
    this.name = 'ConfigError';
  }
}

let cached: { key: string; value: Config } | undefined;
/** Per process, not per module copy: instrumentation.ts and the routes are bundled apart. */
const fixed = () => processSingleton<{ value?: Config }>('config', () => ({}));

/** The raw values this module reads, unset and '' alike as undefined. */
function rawEnvironment(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    raw[name] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  return raw;
}

/** Parses `env` (process.env by default); throws ConfigError naming the first bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = rawEnvironment(env);
  const parsed = SCHEMA.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  throw new ConfigError(variable, issue?.message ?? 'invalid', raw[variable] ?? '');
}

/** The server's configuration, parsed once per distinct environment. */
export function config(): Config {
  const kept = fixed().value;
  if (kept) return kept;
  const raw = rawEnvironment(process.env);
  const key = JSON.stringify(raw);
  if (cached?.key !== key) cached = { key, value: parseConfig(process.env) };
  return cached.value;
}

/**
 * A process's first call (instrumentation.ts, the worker scripts): a bad variable
 * stops the process with one line naming it, before any request or job runs. In
 * production the parse is then the process's for good (`next dev` reloads .env
 * files into process.env, and tests change it, so neither is fixed).
 */
export function configOrExit(): Config {
  try {
    const value = config();
    if (value.NODE_ENV === 'production') fixed().value = value;
    return value;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(JSON.stringify({ level: 'error', msg: 'config.invalid', variable: error.variable, error: error.message }));
    process.exit(1);
  }
}
