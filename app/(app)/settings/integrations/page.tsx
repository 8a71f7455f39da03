import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { apiKeysOf } from '@/lib/auth/server';
import { can, grantableScopes } from '@/lib/teams/permissions';
import { teamPage } from '@/lib/teams/server';
import { webhookEndpointsOf } from '@/lib/webhooks/server';
import { ApiKeysPanel } from '@/components/integrations/api-keys-panel';
import { WebhookEndpointsPanel } from '@/components/integrations/webhook-endpoints-panel';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('integrations');
  return { title: t('title') };
}

export default async function IntegrationsPage() {
  const { team } = await teamPage('/settings/integrations', 'webhooks:read');
  const [apiKeys, endpoints] = await Promise.all([can(team.role, 'keys:manage') ? apiKeysOf(team.id) : [], webhookEndpointsOf(team.id)]);
  const t = await getTranslations('integrations');
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="text-sm text-slate-700">{t('intro')}</p>
        <p className="text-sm">
          <a href="/api/openapi.json" className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
            {t('apiDocs')}
          </a>
        </p>
      </div>
      {/* Keys are for owners and managers (`keys:manage`): finance sees the webhooks only. */}
      {can(team.role, 'keys:manage') && <ApiKeysPanel apiKeys={apiKeys} grantable={grantableScopes(team.role)} />}
      <WebhookEndpointsPanel endpoints={endpoints} canWrite={can(team.role, 'webhooks:write')} />
    </div>
  );
}
