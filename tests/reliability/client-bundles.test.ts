// Browser bundles carry no server code: the production build's client chunks
// are scanned for what Drizzle, pg, the schema module and server-only
// packages leave in any bundle that includes them.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

async function clientChunks(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => path.join(e.parentPath, e.name));
}

/** Strings that survive minification: Symbol.for names, SQL identifiers, protocol constants, env names. */
const SERVER_MARKERS: Record<string, RegExp> = {
  'drizzle-orm': /drizzle:(Name|Columns|IsAlias|OriginalName)/,
  'pg (node-postgres)': /SCRAM-SHA-256|client_encoding|pg-protocol/,
  'lib/db/schema': /idempotency_keys|credit_ledger|event_upgrades|auth_rate_limits|payment_events/,
  'stripe (server-only SDK and secrets)': /api\.stripe\.com|STRIPE_SECRET_KEY|STRIPE_WEBHOOK_SECRET/,
  'database configuration': /DATABASE_URL/,
  'argon2 (server-only auth)': /@node-rs\/argon2|argon2id/,
};

describe('client bundles', () => {
  it('hold no Drizzle, pg, schema or server-only code', async () => {
    const staticDir = path.join(inject('appDir'), '.next/static');
    const files = await clientChunks(staticDir);
    expect(files.length).toBeGreaterThan(5);

    let sawClientCode = false;
    const found: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      // The browser's API client is in some chunk: proof that the scan reads real client code.
      if (text.includes('Idempotency-Key')) sawClientCode = true;
      for (const [what, marker] of Object.entries(SERVER_MARKERS)) {
        if (marker.test(text)) found.push(`${what} in ${path.relative(staticDir, file)}`);
      }
    }
    expect(sawClientCode).toBe(true);
    expect(found).toEqual([]);
  });
});
