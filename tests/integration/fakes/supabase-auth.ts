// A small stand-in for Supabase Auth (GoTrue) on 127.0.0.1, because the real
// one cannot run here. It answers the endpoints @supabase/supabase-js calls, in
// the shapes GoTrue documents: JSON sessions and users, HS256 JWTs the client
// decodes, `{ code, msg }` errors with X-Supabase-Api-Version: 2024-01-01,
// refresh-token rotation, and the `apikey` header the API gateway requires.
//
// Like the real service, it owns auth.users: a sign-up inserts the row into
// the project's database (here the test database's auth.users from
// supabase/local). Profiles and credit accounts are the app's job, not its.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type FakeUser = {
  id: string;
  email: string;
  password: string;
  userMetadata: Record<string, unknown>;
  appMetadata: Record<string, unknown>;
  createdAt: string;
};

type Session = { id: string; userId: string; revoked: boolean };
type RefreshToken = { sessionId: string; used: boolean };

export type FakeSupabaseAuthOptions = {
  /** Where auth.users lives: the test database, as on Supabase it is the project's database. */
  db: { query(text: string, values: unknown[]): Promise<unknown> };
  /** "Confirm email" off (Supabase's autoconfirm): sign-up answers with a session. */
  autoconfirm?: boolean;
  /** Access-token lifetime; under 90 s the client refreshes on every use (its expiry margin). */
  accessTokenSeconds?: number;
};

export type RecordedRequest = { method: string; path: string; query: URLSearchParams; authorization: string | null };

export class FakeSupabaseAuth {
  readonly jwtSecret = randomBytes(32).toString('base64url');
  readonly anonKey: string;
  readonly requests: RecordedRequest[] = [];
  autoconfirm: boolean;
  accessTokenSeconds: number;
  private server: Server | undefined;
  private url = '';
  private readonly users = new Map<string, FakeUser>();
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private limited: { remaining: number; retryAfter: string | null } = { remaining: 0, retryAfter: null };

  constructor(private readonly options: FakeSupabaseAuthOptions) {
    this.autoconfirm = options.autoconfirm ?? true;
    this.accessTokenSeconds = options.accessTokenSeconds ?? 3600;
    // Supabase's anon key is itself a JWT with role anon.
    this.anonKey = this.sign({ iss: 'supabase', role: 'anon', iat: now(), exp: now() + 3600 * 24 * 365 });
  }

  get baseUrl(): string {
    return this.url;
  }

  async start(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'unexpected_failure', msg: String(error) }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `count` sign-up/sign-in calls answer 429 over_request_rate_limit. */
  rateLimitNext(count = 1, retryAfter: string | null = null): void {
    this.limited = { remaining: count, retryAfter };
  }

  /** A user made outside the app (the Supabase dashboard, an invite): in auth.users, with no profile. */
  async createUser(email: string, password: string, userMetadata: Record<string, unknown> = {}): Promise<FakeUser> {
    const user: FakeUser = {
      id: randomUUID(),
      email,
      password,
      userMetadata,
      appMetadata: { provider: 'email', providers: ['email'] },
      createdAt: new Date().toISOString(),
    };
    await this.options.db.query('insert into auth.users (id, email, raw_user_meta_data) values ($1, $2, $3)', [
      user.id,
      email,
      JSON.stringify(userMetadata),
    ]);
    this.users.set(email, user);
    return user;
  }

  user(email: string): FakeUser | undefined {
    return this.users.get(email);
  }

  isSessionActive(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.revoked === false;
  }

  /** Signs a token with this server's secret (tests use another secret to forge one). */
  sign(payload: Record<string, unknown>, secret = this.jwtSecret): string {
    const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64(JSON.stringify(payload));
    const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
    return `${header}.${body}.${signature}`;
  }

  private verify(token: string): Record<string, unknown> | null {
    const [header, body, signature] = token.split('.');
    if (!header || !body || !signature) return null;
    const expected = createHmac('sha256', this.jwtSecret).update(`${header}.${body}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload.exp !== 'number' || payload.exp <= now()) return null;
    return payload;
  }

  private userJson(user: FakeUser) {
    return {
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      email_confirmed_at: user.createdAt,
      phone: '',
      confirmed_at: user.createdAt,
      last_sign_in_at: new Date().toISOString(),
      app_metadata: user.appMetadata,
      user_metadata: user.userMetadata,
      identities: [
        {
          identity_id: randomUUID(),
          id: user.id,
          user_id: user.id,
          identity_data: { email: user.email, sub: user.id },
          provider: 'email',
          created_at: user.createdAt,
        },
      ],
      created_at: user.createdAt,
      updated_at: user.createdAt,
      is_anonymous: false,
    };
  }

  private issueSession(user: FakeUser, sessionId: string = randomUUID()) {
    if (!this.sessions.has(sessionId)) this.sessions.set(sessionId, { id: sessionId, userId: user.id, revoked: false });
    const iat = now();
    const exp = iat + this.accessTokenSeconds;
    const accessToken = this.sign({
      iss: `${this.url}/auth/v1`,
      sub: user.id,
      aud: 'authenticated',
      exp,
      iat,
      email: user.email,
      phone: '',
      app_metadata: user.appMetadata,
      user_metadata: user.userMetadata,
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: iat }],
      session_id: sessionId,
      is_anonymous: false,
    });
    const refreshToken = randomBytes(9).toString('base64url');
    this.refreshTokens.set(refreshToken, { sessionId, used: false });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: this.accessTokenSeconds,
      expires_at: exp,
      refresh_token: refreshToken,
      user: this.userJson(user),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const authorization = req.headers.authorization ?? null;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization });
    const send = (status: number, body: unknown) => {
      const headers: Record<string, string> = { 'x-supabase-api-version': '2024-01-01' };
      if (body !== null) headers['content-type'] = 'application/json';
      res.writeHead(status, headers);
      res.end(body === null ? undefined : JSON.stringify(body));
    };
    const fail = (status: number, code: string, msg: string, extra: Record<string, unknown> = {}) =>
      send(status, { code, msg, ...extra });

    // The API gateway in front of GoTrue refuses calls without the project's key.
    if (req.headers.apikey !== this.anonKey) return fail(401, 'no_api_key', 'No API key found in request');

    const body = req.method === 'POST' ? await readJson(req) : {};
    const route = `${req.method} ${url.pathname}`;

    if ((route === 'POST /auth/v1/signup' || route === 'POST /auth/v1/token') && this.limited.remaining > 0) {
      this.limited.remaining -= 1;
      if (this.limited.retryAfter) res.setHeader('retry-after', this.limited.retryAfter);
      return fail(429, 'over_request_rate_limit', 'Request rate limit reached');
    }

    if (route === 'POST /auth/v1/signup') {
      const email = String(body.email ?? '').toLowerCase();
      const password = String(body.password ?? '');
      if (password.length < 6) {
        return fail(422, 'weak_password', 'Password should be at least 6 characters.', {
          weak_password: { reasons: ['length'] },
        });
      }
      const existing = this.users.get(email);
      if (existing) {
        if (this.autoconfirm) return fail(422, 'user_already_exists', 'User already registered');
        // With confirmations on, GoTrue hides existing accounts behind a look-alike user.
        return send(200, { ...this.userJson(existing), id: randomUUID(), identities: [] });
      }
      const data = isRecord(body.data) ? body.data : {};
      const user = await this.createUser(email, password, data);
      if (!this.autoconfirm) return send(200, { ...this.userJson(user), email_confirmed_at: null, confirmed_at: null });
      return send(200, this.issueSession(user));
    }

    if (route === 'POST /auth/v1/token') {
      const grant = url.searchParams.get('grant_type');
      if (grant === 'password') {
        const user = this.users.get(String(body.email ?? '').toLowerCase());
        if (!user || user.password !== body.password) return fail(400, 'invalid_credentials', 'Invalid login credentials');
        return send(200, this.issueSession(user));
      }
      if (grant === 'refresh_token') {
        const token = this.refreshTokens.get(String(body.refresh_token ?? ''));
        if (!token) return fail(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        if (token.used) return fail(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
        const session = this.sessions.get(token.sessionId);
        const user = session && !session.revoked ? [...this.users.values()].find((u) => u.id === session.userId) : undefined;
        if (!session || !user) return fail(400, 'session_not_found', 'Session from session_id claim in JWT does not exist');
        token.used = true;
        return send(200, this.issueSession(user, session.id));
      }
      return fail(400, 'validation_failed', 'unsupported_grant_type');
    }

    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
    const claims = bearer ? this.verify(bearer) : null;

    if (route === 'GET /auth/v1/user') {
      if (!claims) return fail(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
      const session = this.sessions.get(String(claims.session_id));
      if (!session || session.revoked) {
        return fail(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
      }
      const user = [...this.users.values()].find((u) => u.id === claims.sub);
      if (!user) return fail(403, 'user_not_found', 'User from sub claim in JWT does not exist');
      return send(200, this.userJson(user));
    }

    if (route === 'POST /auth/v1/logout') {
      if (!claims) return fail(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
      const scope = url.searchParams.get('scope') ?? 'global';
      for (const session of this.sessions.values()) {
        const mine = session.id === claims.session_id;
        if (session.userId === claims.sub && (scope === 'global' || (scope === 'local') === mine)) session.revoked = true;
      }
      return send(204, null);
    }

    return fail(404, 'not_found', `${route} is not part of this fake`);
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return isRecord(parsed) ? parsed : {};
}
