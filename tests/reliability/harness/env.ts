// Every app instance and worker a reliability test starts inherits this
// process's environment. These suites assert what is recorded (no seat too
// many, no mail twice), not latency; in CI they share two cores with the e2e
// run, so a request may queue for a pooled connection longer than
// production's 5 s. A test that is about the timeout itself sets its own
// (database-faults.test.ts).
process.env.DATABASE_CONNECT_TIMEOUT_MS ??= '30000';
