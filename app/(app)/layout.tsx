import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { teamPage } from '@/lib/teams/server';
import { organiserAccount } from '@/lib/billing/server';
import { AppHeader } from '@/components/layout/app-header';

export default async function AppLayout({ children }: { children: ReactNode }) {
  // proxy.ts tells which page was asked for, so an expired session comes back to it.
  const returnTo = (await headers()).get('x-return-to') ?? '/events';
  const { user, team } = await teamPage(returnTo);
  const { balance } = await organiserAccount(team.id);
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader user={user} balance={balance} />
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
        {children}
      </main>
    </div>
  );
}
