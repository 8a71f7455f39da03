// Process-wide Prometheus metrics. Fed by the hooks the HTTP and idempotency
// layers expose (onRequest, onIdempotencyOutcome); the database-derived values
// are read at scrape time (lib/metrics/scrape.ts). One per process, so that
// every bundle that loads this module (instrumentation, route handlers, a
// hot-reloaded copy in dev) shares one registry and subscribes only once.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { allApiRoutes, routeLabel, type Endpoint } from '@/lib/api-routes';
import { processSingleton } from '@/lib/process-singleton';
import { onRequest } from './request-hooks';
import { onIdempotencyOutcome, IDEMPOTENCY_OUTCOMES } from '@/lib/idempotency/observe';
import { DELIVERY_OUTCOMES, onDelivery } from '@/lib/outbox/observe';

export const METRIC_PREFIX = 'event_app_';

export type AppMetrics = {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  idempotencyOutcomes: Counter<'method' | 'route' | 'outcome'>;
  outboxDeliveries: Counter<'outcome'>;
};


/** Labels of a route: its method and template, never the concrete path. */
const labelsOf = (endpoint: Endpoint) => ({ method: endpoint.method, route: endpoint.path });

/** The idempotency layer names a record's route by its scope (`POST /api/events`): looked up in the routes table, not parsed. */
const routeByScope = new Map(allApiRoutes().map((endpoint) => [routeLabel(endpoint), endpoint]));
const scopeLabels = (scope: string) => {
  const endpoint = routeByScope.get(scope);
  return endpoint ? labelsOf(endpoint) : { method: 'ANY', route: scope };
};

function create(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const requests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'API requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'API request latency inside the route wrapper, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const idempotencyOutcomes = new Counter({
    name: `${METRIC_PREFIX}idempotency_outcomes_total`,
    help: 'Requests through withIdempotency, by outcome (stored, replayed, in_progress, mismatch, taken_over, failed, awaiting_confirmation).',
    labelNames: ['method', 'route', 'outcome'] as const,
    registers: [registry],
  });

  const outboxDeliveries = new Counter({
    name: `${METRIC_PREFIX}outbox_deliveries_total`,
    help: "This process's mail worker: messages sent, tries that failed and will retry, messages given up (failed).",
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of DELIVERY_OUTCOMES) outboxDeliveries.inc({ outcome }, 0);
  onDelivery((outcome) => outboxDeliveries.inc({ outcome }));

  onRequest((endpoint, status, durationMs) => {
    const labels = { ...labelsOf(endpoint), status: String(status) };
    requests.inc(labels);
    requestDuration.observe(labels, durationMs / 1000);
  });
  onIdempotencyOutcome((record) => {
    idempotencyOutcomes.inc({ ...scopeLabels(record.route), outcome: record.outcome });
  });
  // Every outcome shows from the first scrape (at 0), so rate() works before the first event.
  for (const outcome of IDEMPOTENCY_OUTCOMES) idempotencyOutcomes.inc({ method: 'POST', route: '/api/events', outcome }, 0);
  return { registry, requests, requestDuration, idempotencyOutcomes, outboxDeliveries };
}

/** The metrics of this process, created and subscribed on the first call only. */
export function installMetrics(): AppMetrics {
  return processSingleton('metrics', create);
}
