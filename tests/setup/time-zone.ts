// Every test process (and every app process the tests start, which inherits
// the environment) runs on a clock far from UTC with a 45-minute offset and
// DST, so a time formatted with the process's own clock fields instead of the
// event's zone fails a test instead of passing by luck. TEST_TZ overrides it.
export const TEST_TIME_ZONE = process.env.TEST_TZ ?? 'Pacific/Chatham';
process.env.TZ = TEST_TIME_ZONE;
