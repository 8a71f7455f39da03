import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { teamPage, teamsOf } from '@/lib/teams/server';
import { organiserAccount } from '@/lib/billing/server';
import { can } from '@/lib/teams/permissions';
import { AppHeader } from '@/components/layout/app-header';

export default async function AppLayout({ children }: { children: ReactNode }) {
  // proxy.ts tells which page was asked for, so an expired session comes back to it.
  const returnTo = (await headers()).get('x-return-to') ?? '/events';
  const { user, team } = await teamPage(returnTo);
  // The balance is read only for roles that may see it (credits:read; not the door).
  const [account, teams] = await Promise.all([can(team.role, 'credits:read') ? organiserAccount(team.id) : null, teamsOf(user.id)]);
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader user={user} balance={account?.balance ?? null} teams={teams} team={team} />
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
        {children}
      </main>
    </div>
  );
}
