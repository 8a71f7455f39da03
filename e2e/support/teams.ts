// Teams in the e2e database: an invitation's link as its mail carries it (the
// outbox row, which the e2e server's mail worker may have sent already: the
// row stays), and a second organiser who joins a team over HTTP.
import { randomUUID } from 'node:crypto';
import { request, type APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { clientAddress, E2E_PASSWORD, e2eDatabaseUrl } from './fixtures';

/** The `/invite/<token>` path of the newest invitation mailed to `email`, polled until the row is there. */
export async function invitationPath(email: string): Promise<string> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const result = await client.query<{ url: string }>(
        `select payload->>'inviteUrl' as url from outbox_messages where kind = 'team_invitation' and recipient = $1 order by created_at desc limit 1`,
        [email.toLowerCase()],
      );
      const url = result.rows[0]?.url;
      if (url) return url;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no invitation mailed to ${email}`);
  } finally {
    await client.end();
  }
}

/** The language the invitation to `email` was mailed in. */
export async function invitationLocale(email: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const result = await client.query<{ locale: string }>(`select locale from outbox_messages where kind = 'team_invitation' and recipient = $1 order by created_at desc limit 1`, [
      email.toLowerCase(),
    ]);
    return result.rows[0]?.locale ?? null;
  } finally {
    await client.end();
  }
}

export async function inviteViaApi(api: APIRequestContext, teamId: string, email: string, role: string): Promise<void> {
  const res = await api.post(`/api/teams/${teamId}/invitations`, { headers: { 'Idempotency-Key': randomUUID() }, data: { email, role } });
  if (res.status() !== 201) throw new Error(`invitation: ${res.status()} ${await res.text()}`);
}

/** A new organiser (own request context) invited by `owner` and joined as `role`. */
export async function joinedMember(baseURL: string, owner: APIRequestContext, teamId: string, role: string, name: string): Promise<{ email: string; dispose(): Promise<void> }> {
  const email = `e2e-member-${randomUUID().slice(0, 8)}@example.com`;
  const member = await request.newContext({ baseURL });
  const signUp = await member.post('/api/auth/sign-up', { data: { email, password: E2E_PASSWORD, name }, headers: { 'x-forwarded-for': clientAddress() } });
  if (signUp.status() !== 201) throw new Error(`sign-up: ${signUp.status()} ${await signUp.text()}`);
  await inviteViaApi(owner, teamId, email, role);
  const token = (await invitationPath(email)).replace('/invite/', '');
  const accepted = await member.post(`/api/invitations/${token}/accept`, { headers: { 'Idempotency-Key': randomUUID() } });
  if (accepted.status() !== 200) throw new Error(`accept: ${accepted.status()} ${await accepted.text()}`);
  return { email, dispose: () => member.dispose() };
}
