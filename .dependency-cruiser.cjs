// The dependency direction of lib/ (docs/ssot/SSOT_ARCHITECTURE.md, "Layering
// Standard"), checked by `npm run lint`. Bottom to top:
//
//   errors, log, zod.ts, api-routes.ts, i18n
//                                      import nothing of the app
//   config.ts, clock.ts, process-singleton.ts
//                                      the server's foundations: zod (config); every server folder may import them
//   enums.ts, ids.ts, money.ts         import nothing; every folder and the browser may import them
//   tokens.ts                          import nothing; for the folders that store secret tokens
//   db                                 errors, log
//   media                              errors, log: covers' re-encoding and their store (events name them)
//   jobs                               the bottom: the runner's loop and wake-ups
//   idempotency, rate-limit, outbox    db and the bottom (outbox: jobs)
//   auth → billing → events → registrations
//                                      each the folders before it, rate-limit, outbox
//   (tickets: checkin, webhooks too; checkin: above registrations; webhooks: beside the outbox)
//   flows                              the domains: what crosses them (cancel an event, the payment inbox)
//   mail, metrics                      events, checkin and the outbox (mail); idempotency, outbox, api-routes (metrics)
//   http                               everything above but mail
//   worker                             the jobs by name: jobs and each job's domain (mail, webhooks, tickets)
//   actions (browser)                  the browser-safe files of the folders below (BROWSER_SAFE)
//
// Type-only imports count: a type is a dependency of the design too.

/** `^lib/<name>` as a folder or as the single file lib/<name>.ts (with its unit test beside it). */
const lib = (...names) => `^lib/(${names.join('|')})(/|(\\.test)?\\.ts$)`;

const BOTTOM = ['errors', 'log', 'zod', 'api-routes', 'i18n'];
/** Server foundations every folder above them may import: the one config, the one clock, process singletons. */
const FOUNDATION = ['config', 'clock', 'process-singleton'];
const INFRA = ['db', 'idempotency', 'rate-limit', 'outbox'];
/**
 * Browser-safe shared leaves every folder (and the browser) may import: the
 * schema's value lists, ids, money as shown. They import nothing of the app.
 */
const SHARED = ['enums', 'ids', 'money'];

/** What each folder of lib/ may import besides itself. */
const MAY_IMPORT = {
  config: ['zod', 'process-singleton'],
  clock: [],
  'process-singleton': [],
  enums: [],
  ids: [],
  money: [],
  // Server-only (node:crypto): the one hash of secret tokens, for the folders that store them.
  tokens: [],
  errors: [],
  log: [],
  zod: [],
  'api-routes': [],
  i18n: ['zod'],
  db: ['errors', 'log'],
  // Media files (covers): the image re-encoding (sharp) and the one store adapter, local files or Supabase Storage.
  media: ['errors', 'log'],
  idempotency: ['db', 'errors', 'log'],
  'rate-limit': ['db', 'errors', 'log'],
  // The one loop of every background job (lib/jobs/runner.ts), below every job's handler.
  jobs: ['errors', 'log'],
  /** The audit log: written by every domain in its change's transaction. */
  audit: ['db', 'errors', 'log', 'zod'],
  outbox: ['db', 'errors', 'log', 'zod', 'jobs'],
  auth: ['audit', 'db', 'errors', 'log', 'zod', 'rate-limit', 'tokens'],
  billing: ['audit', 'db', 'errors', 'log', 'zod', 'rate-limit', 'auth'],
  events: ['audit', 'teams', 'db', 'errors', 'log', 'zod', 'rate-limit', 'outbox', 'auth', 'billing', 'webhooks', 'media'],
  // Questions for guests and their answers: above events, below registrations and tickets (which write answers in their transactions).
  questions: ['audit', 'teams', 'db', 'errors', 'log', 'zod', 'auth', 'billing', 'events'],
  registrations: ['audit', 'teams', 'db', 'errors', 'log', 'zod', 'rate-limit', 'outbox', 'auth', 'billing', 'events', 'webhooks', 'tokens', 'questions'],
  // Organiser payouts: teams' connected accounts, the platform's fee, the totals; above billing (the providers), below tickets (orders take their terms).
  payouts: ['audit', 'teams', 'db', 'errors', 'log', 'zod', 'auth', 'billing', 'events'],
  // Paid tickets: above registrations (a ticket is a registration row).
  tickets: ['payouts', 'audit', 'teams', 'db', 'errors', 'log', 'zod', 'rate-limit', 'outbox', 'auth', 'billing', 'events', 'questions', 'registrations', 'webhooks', 'checkin', 'tokens', 'jobs'],
  // Mail renders what it is handed; the ticket's QR comes from checkin, the event's calendar from events.
  mail: [...BOTTOM, 'db', 'outbox', 'events', 'checkin', 'jobs'],
  metrics: ['db', 'errors', 'log', 'api-routes', 'idempotency', 'outbox', 'webhooks'],
  http: [...BOTTOM, ...INFRA, 'tokens', 'audit', 'teams', 'payouts', 'auth', 'billing', 'events', 'questions', 'registrations', 'metrics', 'webhooks', 'checkin', 'tickets', 'flows'],
  // Rules that cross domains (cancelling an event refunds its orders; the payment inbox dispatches to credits, orders, refunds): above every domain, below the transport.
  flows: ['payouts', 'audit', 'teams', 'db', 'errors', 'log', 'zod', 'rate-limit', 'outbox', 'auth', 'billing', 'events', 'questions', 'registrations', 'webhooks', 'checkin', 'tickets', 'jobs', 'tokens'],
  // Integrations: webhook endpoints and their outbox, below the domain that emits into it.
  webhooks: ['audit', 'db', 'errors', 'log', 'zod', 'jobs'],
  // The background jobs by name and switch, started in the server process and by `npm run worker`: the top floor.
  worker: ['db', 'errors', 'log', 'jobs', 'outbox', 'mail', 'webhooks', 'tickets'],
  // Browser code: which files of these it may reach is the browser rule's business below.
  actions: ['audit', 'teams', 'payouts', ...BOTTOM, 'db', 'auth', 'billing', 'events', 'questions', 'registrations', 'tickets', 'webhooks', 'checkin'],
  // Door check-in: signed ticket codes, scans, the snapshot; above registrations (it reads tickets through their owner).
  teams: ['db', 'errors', 'log', 'zod', 'rate-limit', 'outbox', 'auth', 'audit', 'tokens', 'api-routes'],
  checkin: ['audit', 'teams', 'db', 'errors', 'log', 'zod', 'rate-limit', 'outbox', 'auth', 'billing', 'events', 'registrations', 'webhooks', 'tokens'],
};

/**
 * Background rounds that run flows: the ticket worker's refund round writes a
 * cancelled event's refunds (lib/flows/cancel-event.ts) before sending. They
 * are jobs, not domain rules, and sit above lib/flows.
 */
const JOBS = '^lib/tickets/(worker|refund-worker)\\.ts$';

const direction = Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
  name: `lib-${folder}-direction`,
  severity: 'error',
  comment: `lib/${folder} may import only ${allowed.length ? allowed.map((f) => `lib/${f}`).join(', ') : 'nothing of the app'} (docs/ssot, "Layering Standard").`,
  from: { path: lib(folder), ...(folder === 'tickets' && { pathNot: JOBS }) },
  to: {
    path: '^(lib|app|components)/',
    pathNot: lib(folder, ...allowed, ...(FOUNDATION.includes(folder) || folder === 'zod' ? [] : FOUNDATION), ...(SHARED.includes(folder) ? [] : SHARED)),
  },
}));

/** Code that runs in the browser, and the lib files it shares with the server. */
const BROWSER = '^(components/|lib/actions/|lib/events/(form|schemas|zoned-time|credit-confirmation)\\.ts$|lib/registrations/(schemas|calendar-links|reference)\\.ts$|lib/questions/schemas\\.ts$|lib/payouts/(schemas|fees)\\.ts$|lib/webhooks/schemas\\.ts$|lib/checkin/(schemas|code-format)\\.ts$|lib/tickets/(schemas|errors|code-schemas)\\.ts$|lib/teams/(permissions|errors|schemas)\\.ts$|lib/audit/schemas\\.ts$|lib/(enums|ids|money)\\.ts$)';
/** What browser code may import of lib/. */
const BROWSER_SAFE =
  '^lib/(actions/|errors/|zod\\.ts$|api-routes\\.ts$|i18n/(config|messages)\\.ts$|i18n/messages/|enums\\.ts$|ids\\.ts$|money\\.ts$|auth/(types|schemas)\\.ts$|billing/plans\\.ts$|events/(form|schemas|zoned-time|credit-confirmation)\\.ts$|registrations/(schemas|calendar-links|reference)\\.ts$|questions/schemas\\.ts$|payouts/(schemas|fees)\\.ts$|webhooks/schemas\\.ts$|checkin/(schemas|code-format)\\.ts$|tickets/(schemas|errors|code-schemas)\\.ts$|teams/(permissions|errors|schemas)\\.ts$|audit/schemas\\.ts$)';

module.exports = {
  forbidden: [
    {
      // Between folders, the direction rules below already forbid every cycle
      // (each folder imports only folders listed before it, types included).
      // Inside a folder, a cycle made only of runtime imports is refused too;
      // an interface imported back by its implementations is not a cycle at run time.
      name: 'no-circular',
      severity: 'error',
      comment: 'No runtime import cycle in lib/.',
      from: { path: '^lib/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...direction,
    {
      name: 'lib-ticket-jobs-direction',
      severity: 'error',
      comment: 'The ticket worker\'s rounds may import what lib/tickets may, and lib/flows.',
      from: { path: JOBS },
      to: { path: '^(lib|app|components)/', pathNot: lib('tickets', 'flows', ...MAY_IMPORT.tickets, ...FOUNDATION, ...SHARED) },
    },
    {
      name: 'lib-unknown-folder',
      severity: 'error',
      comment: 'Every folder of lib/ has a place in the direction above: add a new one to MAY_IMPORT.',
      from: { path: '^lib/', pathNot: lib(...Object.keys(MAY_IMPORT)) },
      to: { path: '^(lib|app|components)/' },
    },
    {
      name: 'browser-imports-only-browser-safe-lib',
      severity: 'error',
      comment: 'Browser code talks to the server over HTTP (lib/actions); of lib/ it imports only the shared schemas, forms, enums and plain types.',
      from: { path: BROWSER },
      // A type-only import is erased before bundling: it may name a server module's type.
      to: { path: '^(lib|app)/', pathNot: BROWSER_SAFE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-never-reaches-the-server',
      severity: 'error',
      comment: 'Nothing browser code imports, however many files away, loads pg, Drizzle or a server-only module.',
      from: { path: BROWSER },
      to: {
        path: '(^|/)node_modules/(pg|pg-[^/]+|drizzle-orm|server-only|nodemailer|stripe|@node-rs/argon2)/',
        reachable: true,
      },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.next|\\.data)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
