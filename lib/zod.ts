// zod, configured once for the server and the browser alike. Without
// `jitless`, zod compiles object parsers with `new Function` and, to find out
// whether it may, probes it; under the pages' Content-Security-Policy (no
// 'unsafe-eval') that probe is reported as a violation even though zod catches
// it. Every schema module imports z from here, so the setting precedes any schema.
import { z } from 'zod';

z.config({ jitless: true });

export { z };
