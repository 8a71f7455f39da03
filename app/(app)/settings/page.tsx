import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireSessionUser, settingsOfUser } from '@/lib/auth/server';
import { can } from '@/lib/teams/permissions';
import { currentTeamOf } from '@/lib/teams/server';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { CurrencySettings } from '@/components/settings/currency-settings';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('settings');
  return { title: t('title') };
}

export default async function SettingsPage() {
  const user = await requireSessionUser('/settings');
  const [settings, team] = await Promise.all([settingsOfUser(user.id), currentTeamOf(user.id)]);
  const t = await getTranslations('settings');
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="text-sm text-slate-700">{t('lead')}</p>
      </div>
      <Card as="section" aria-labelledby="currency-heading" className="flex flex-col gap-4">
        <div>
          <CardTitle id="currency-heading">{t('currencyTitle')}</CardTitle>
          <CardDescription>{t('currencyBody')}</CardDescription>
        </div>
        <CurrencySettings current={settings.defaultCurrency} />
      </Card>
      <p className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <Link href="/settings/integrations" className="text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-indigo-600">
          {t('integrations')} →
        </Link>
        {can(team.role, 'audit:read') && (
          <Link href="/settings/audit" className="text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-indigo-600" data-testid="audit-link">
            {t('auditLog')} →
          </Link>
        )}
      </p>
    </div>
  );
}
