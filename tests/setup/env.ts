import { inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.LOG_LEVEL ??= 'silent';
// Route handlers are called in-process here: no socket, so no peer address.
// Every request says where it came from through one trusted proxy hop instead
// (tests/integration/support.ts gives each a distinct address unless it names one).
process.env.TRUST_PROXY_HOPS ??= '1';
// Tests that fire dozens of requests at once through the pool of 10 assert
// what they record, not how fast; in CI they share two cores with the build,
// so a request may queue for a connection longer than production's 5 s.
process.env.DATABASE_CONNECT_TIMEOUT_MS ??= '30000';
