'use client';
// API keys on /settings/integrations: create with the scopes it may use (all
// checked at first; the secret shown once), the list with each key's scopes
// and when it was last used, revoke after a confirmation. Every
// mutation goes through the ActionController (one Idempotency-Key per
// attempt, retried with it), and the page is read again after each.
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import type { ResponseOf } from '@/lib/actions/api-responses';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import type { ApiKeyDto } from '@/lib/auth/schemas';
import { API_KEY_SCOPES, type ApiKeyScope } from '@/lib/enums';
import { Badge } from '@/components/ui/badge';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { LocalDateTime } from '@/components/ui/local-date-time';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { SecretOnce } from './secret-once';

/** `secret` is missing when the answer is a replay (the first answer was lost): it is never stored. */
type Created = ResponseOf<'POST', '/api/api-keys'>;
/** `events:read` → `events_read`: a message key has no colon. */
type ScopeKey = 'events_read' | 'events_write' | 'orders_read' | 'orders_refund' | 'checkin' | 'webhooks';
const scopeKey = (scope: ApiKeyScope) => scope.replace(':', '_') as ScopeKey;

/** `grantable`: the scopes the member's role may put on a key (lib/teams/permissions.ts, grantableScopes): only those are offered. */
export function ApiKeysPanel({ apiKeys, grantable }: { apiKeys: ApiKeyDto[]; grantable: ApiKeyScope[] }) {
  const t = useTranslations('integrations.keys');
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...grantable]);
  const [noScope, setNoScope] = useState(false);
  const [shown, setShown] = useState<Created | null>(null);

  const [create, createController] = useActionController((body: { name: string; scopes: ApiKeyScope[] }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/api-keys'), { body, correlationId, signal }),
  );
  const revoke = useConfirmedAction((key: ApiKeyDto, { correlationId, signal }) =>
    apiCall(apiRoute('DELETE', '/api/api-keys/[id]'), { params: { id: key.id }, correlationId, signal }),
  );

  useEffect(() => {
    if (create.status !== 'succeeded') return;
    setShown(create.result);
    setName('');
    setScopes([...grantable]);
    createController.reset();
    router.refresh();
  }, [create, createController, router, grantable]);

  const creating = create.status === 'running';
  const fieldErrors = create.status === 'failed' ? create.error.fieldErrors : undefined;
  const nameError = fieldErrors?.name?.[0];
  const serverScopesError = fieldErrors ? Object.entries(fieldErrors).find(([field]) => field.startsWith('scopes'))?.[1]?.[0] : undefined;
  const scopesError = noScope ? t('scopesRequired') : serverScopesError;
  const otherError = create.status === 'failed' && !nameError && !serverScopesError ? errorText(create.error) : null;

  function toggle(scope: ApiKeyScope, on: boolean) {
    setNoScope(false);
    // Kept in the table's order, so the list and the request read the same.
    setScopes((current) => grantable.filter((s) => (s === scope ? on : current.includes(s))));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setShown(null);
    if (scopes.length === 0) {
      setNoScope(true);
      return;
    }
    void createController.submit({ name, scopes });
  }

  return (
    <Card as="section" aria-labelledby="api-keys-heading" className="flex flex-col gap-4" data-testid="api-keys">
      <div>
        <CardTitle id="api-keys-heading">{t('heading')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </div>
      <form onSubmit={submit} className="flex flex-col gap-3" noValidate data-testid="api-key-form">
        <Field id="api-key-name" label={t('name')} error={nameError}>
          {(control) => (
            <Input {...control} value={name} maxLength={100} placeholder={t('namePlaceholder')} onChange={(e) => setName(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <fieldset aria-describedby={scopesError ? 'api-key-scopes-error' : 'api-key-scopes-hint'}>
          <legend className="text-sm font-medium text-slate-800">{t('scopes')}</legend>
          <p id="api-key-scopes-hint" className="text-xs text-slate-600">
            {t('scopesHint')}
          </p>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {grantable.map((scope) => (
              <label key={scope} className="flex items-start gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 shrink-0 accent-indigo-600"
                  checked={scopes.includes(scope)}
                  onChange={(e) => toggle(scope, e.target.checked)}
                  data-testid={`api-key-scope-${scope}`}
                />
                <span className="flex flex-col">
                  <span>
                    {t(`scope.${scopeKey(scope)}.label`)} <code className="text-xs text-slate-500">{scope}</code>
                  </span>
                  <span className="text-xs text-slate-600">{t(`scope.${scopeKey(scope)}.help`)}</span>
                </span>
              </label>
            ))}
          </div>
          {scopesError && (
            <p id="api-key-scopes-error" className="mt-1 text-sm text-red-700" data-testid="api-key-scopes-error">
              {scopesError}
            </p>
          )}
        </fieldset>
        <div>
          <Button type="submit" busy={creating} disabled={!hydrated || creating} data-testid="api-key-create">
            {t('create')}
          </Button>
        </div>
      </form>
      {otherError && <Alert tone="error">{otherError}</Alert>}
      {shown && (
        <SecretOnce
          title={t('createdTitle', { name: shown.apiKey.name })}
          body={t('createdBody')}
          secret={shown.secret}
          lost={{ title: t('secretLostTitle', { name: shown.apiKey.name }), body: t('secretLostBody') }}
          doneLabel={t('done')}
          onDone={() => setShown(null)}
          testId="api-key-secret"
        />
      )}
      {apiKeys.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="api-keys-empty">
          {t('empty')}
        </p>
      ) : (
        <DataTable
          caption={t('caption')}
          columns={[
            { id: 'name', header: t('colName') },
            { id: 'key', header: t('colKey') },
            { id: 'scopes', header: t('colScopes') },
            { id: 'created', header: t('colCreated'), className: 'hidden sm:table-cell' },
            { id: 'used', header: t('colLastUsed') },
            { id: 'actions', header: t('colActions'), headerHidden: true },
          ]}
          testId="api-keys-table"
        >
          {apiKeys.map((key) => (
            <tr key={key.id} data-testid="api-key-row">
              <DataRowHeader>{key.name}</DataRowHeader>
              <DataCell className="font-mono text-xs" label={t('colKey')}>
                {key.prefix}…
              </DataCell>
              <DataCell label={t('colScopes')} data-testid="api-key-scopes">
                {key.scopes.length === API_KEY_SCOPES.length ? (
                  <Badge tone="indigo">{t('allScopes')}</Badge>
                ) : (
                  <span className="flex flex-wrap gap-1">
                    {API_KEY_SCOPES.filter((scope) => key.scopes.includes(scope)).map((scope) => (
                      <Badge key={scope}>
                        <span title={t(`scope.${scopeKey(scope)}.help`)}>{t(`scope.${scopeKey(scope)}.label`)}</span>
                      </Badge>
                    ))}
                  </span>
                )}
              </DataCell>
              <DataCell label={t('colCreated')}>
                <LocalDateTime at={key.createdAt} locale={locale} />
              </DataCell>
              <DataCell data-testid="api-key-last-used" label={t('colLastUsed')}>{key.lastUsedAt ? <LocalDateTime at={key.lastUsedAt} locale={locale} /> : t('never')}</DataCell>
              <DataCell className="text-right" actions>
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={!hydrated}
                  onClick={(e) => revoke.ask(key, e.currentTarget)}
                  aria-label={`${t('revoke')}: ${key.name}`}
                  data-testid="api-key-revoke"
                >
                  {t('revoke')}
                </Button>
              </DataCell>
            </tr>
          ))}
        </DataTable>
      )}
      <ConfirmDialog
        {...revoke.dialog}
        title={t('revokeTitle')}
        description={t('revokeBody', { name: revoke.target?.name ?? '' })}
        confirmLabel={t('revokeConfirm')}
        cancelLabel={t('keep')}
        testId="revoke-key-dialog"
        confirmTestId="revoke-key-confirm"
        cancelTestId="revoke-key-keep"
      >
        {revoke.error && <Alert tone="error">{revoke.error}</Alert>}
      </ConfirmDialog>
    </Card>
  );
}
