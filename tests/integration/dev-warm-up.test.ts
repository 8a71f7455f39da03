// `npm run dev`'s warm-up (scripts/support/warm-up.ts) against a stand-in
// server that records what it is asked: it waits until the app answers, warms
// the public pages, signs in to warm the organiser's (and one event's), signs
// out, and says so in one line; a page that fails is named, never thrown.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { warmUp } from '../../scripts/support/warm-up';

type Seen = { method: string; path: string; cookie: string | undefined };

let server: Server | null = null;

afterEach(async () => {
  const running = server;
  server = null;
  if (running) await new Promise((resolve) => running.close(resolve));
});

/** A stand-in app on a free port that starts answering only after `downMs`. */
async function standIn(options: { downMs?: number; failing?: string } = {}): Promise<{ baseUrl: string; seen: Seen[]; port: number }> {
  const seen: Seen[] = [];
  const upAt = Date.now() + (options.downMs ?? 0);
  server = createServer((req: IncomingMessage, res) => {
    if (Date.now() < upAt) {
      req.socket.destroy();
      return;
    }
    const path = req.url ?? '';
    seen.push({ method: req.method ?? '', path, cookie: req.headers.cookie });
    if (path === '/api/auth/sign-in') {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=abc; Path=/; HttpOnly' });
      res.end('{"success":true}');
      return;
    }
    if (path.startsWith('/api/events?')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: true, data: { events: [{ id: 'e1' }] } }));
      return;
    }
    res.writeHead(path === options.failing ? 500 : 200);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { baseUrl: `http://127.0.0.1:${port}`, seen, port };
}

describe('dev warm-up', () => {
  it('waits for the app, warms the public and signed-in pages with the session, signs out, and logs one line', async () => {
    const { baseUrl, seen } = await standIn({ downMs: 1200 });
    const lines: string[] = [];
    const result = await warmUp({ baseUrl, signIn: { email: 'demo@example.com', password: 'pw' }, log: (line) => lines.push(line) });
    expect(result.failed).toEqual([]);
    const paths = seen.map((s) => s.path);
    for (const page of ['/sign-in', '/e/warm-up', '/events', '/events/new', '/billing', '/events/e1', '/events/e1/attendees']) expect(paths).toContain(page);
    // The organiser's pages carry the session; the public ones none.
    expect(seen.find((s) => s.path === '/events/new')?.cookie).toBe('session=abc');
    expect(seen.find((s) => s.path === '/sign-in')?.cookie).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/api/auth/sign-out', cookie: 'session=abc' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Warm-up: \d+ pages and API routes compiled in \d+ s \(DEV_WARMUP=0 turns this off\)\./);
  });

  it('without a demo account warms the public pages only; a failing page is named, not thrown', async () => {
    const { baseUrl, seen } = await standIn({ failing: '/sign-up' });
    const lines: string[] = [];
    const result = await warmUp({ baseUrl, signIn: null, log: (line) => lines.push(line) });
    expect(seen.map((s) => s.path)).not.toContain('/events');
    expect(seen.map((s) => s.path)).not.toContain('/api/auth/sign-in');
    expect(result.failed).toEqual(['/sign-up (500)']);
    expect(lines[0]).toContain('failed: /sign-up (500)');
  });

  it('gives up with one line when the app never answers', async () => {
    const { baseUrl } = await standIn();
    const running = server;
    server = null;
    await new Promise((resolve) => running?.close(resolve));
    const lines: string[] = [];
    const result = await warmUp({ baseUrl, readyTimeoutMs: 1000, log: (line) => lines.push(line) });
    expect(result.requested).toEqual([]);
    expect(lines).toEqual(['  Warm-up: skipped, the app did not answer.']);
  });
});
