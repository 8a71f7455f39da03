import { describe, expect, it } from 'vitest';
import { assertDemoSeedAllowed, DEMO_ORGANISER, demoLoginFor } from './demo-organiser';

describe('assertDemoSeedAllowed', () => {
  it('allows only the embedded database (npm run dev / npm start without DATABASE_URL)', () => {
    expect(() => assertDemoSeedAllowed('postgres://postgres@127.0.0.1:54322/postgres?application_name=embedded-pglite')).not.toThrow();
    for (const url of ['postgres://postgres@db.example.supabase.co:6543/postgres', 'postgres://postgres@127.0.0.1:5432/test', '', 'not a url']) {
      expect(() => assertDemoSeedAllowed(url), url).toThrow(/Refusing to seed/);
    }
  });
});

describe('demoLoginFor', () => {
  it('gives the demo login on the embedded database only', () => {
    expect(demoLoginFor('postgres://postgres@127.0.0.1:54322/postgres?application_name=embedded-pglite')).toEqual({
      email: DEMO_ORGANISER.email,
      password: DEMO_ORGANISER.password,
    });
    for (const url of ['postgres://postgres@db.example.supabase.co:6543/postgres', 'postgres://postgres@127.0.0.1:5432/test', '', 'not a url', undefined]) {
      expect(demoLoginFor(url), String(url)).toBeNull();
    }
  });
});
