import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { AuthUser } from '@/lib/auth/types';
import { can } from '@/lib/teams/permissions';
import type { TeamDto } from '@/lib/teams/schemas';
import { CreditBalance } from './credit-balance';
import { LanguageSwitch } from './language-switch';
import { NavLink } from './nav-link';
import { SignOutButton } from './sign-out-button';
import { TeamSwitcher } from './team-switcher';

/** `balance`: null for a role that does not read credits (the layout leaves it unread). */
export async function AppHeader({ user, balance, teams, team }: { user: AuthUser; balance: number | null; teams: TeamDto[]; team: TeamDto }) {
  const t = await getTranslations('header');
  const tApp = await getTranslations('app');
  const displayName = user.name || user.email;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        <Link
          href="/events"
          className="rounded-md text-base font-bold tracking-tight text-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          {tApp('name')}
        </Link>
        <TeamSwitcher teams={teams} current={team} />
        {/* Wraps on a phone rather than scrolling sideways: five links and the switcher do not fit 390 px in one row. */}
        <nav aria-label={t('mainNav')} className="flex min-w-0 flex-wrap items-center gap-1">
          <NavLink href="/events">{t('events')}</NavLink>
          {can(team.role, 'billing') && <NavLink href="/billing">{t('billing')}</NavLink>}
          {can(team.role, 'payouts:read') && <NavLink href="/payouts">{t('payouts')}</NavLink>}
          {can(team.role, 'webhooks:read') && <NavLink href="/settings/integrations">{t('integrations')}</NavLink>}
          <NavLink href="/team">{t('team')}</NavLink>
        </nav>
        <div className="ml-auto flex flex-wrap items-center gap-2 sm:gap-3">
          {balance !== null && <CreditBalance initial={balance} />}
          <span
            className="hidden max-w-32 truncate text-sm text-slate-700 md:inline"
            title={user.email}
            data-testid="organiser"
          >
            {displayName}
          </span>
          <LanguageSwitch />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
