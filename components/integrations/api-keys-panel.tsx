'use client';
// API keys on /settings/integrations: create (the secret shown once), the
// list with when each was last used, revoke after a confirmation. Every
// mutation goes through the ActionController (one Idempotency-Key per
// attempt, retried with it), and the page is read again after each.
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import type { ResponseOf } from '@/lib/actions/api-responses';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import type { ApiKeyDto } from '@/lib/auth/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { LocalDateTime } from '@/components/ui/local-date-time';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { SecretOnce } from './secret-once';

/** `secret` is missing when the answer is a replay (the first answer was lost): it is never stored. */
type Created = ResponseOf<'POST', '/api/api-keys'>;

export function ApiKeysPanel({ apiKeys }: { apiKeys: ApiKeyDto[] }) {
  const t = useTranslations('integrations.keys');
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [shown, setShown] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const [create, createController] = useActionController((body: { name: string }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/api-keys'), { body, correlationId, signal }),
  );
  const [revoke, revokeController] = useActionController(({ id }: { id: string }, { correlationId, signal }) =>
    apiCall(apiRoute('DELETE', '/api/api-keys/[id]'), { params: { id }, correlationId, signal }),
  );

  useEffect(() => {
    if (create.status !== 'succeeded') return;
    setShown(create.result);
    setName('');
    createController.reset();
    router.refresh();
  }, [create, createController, router]);
  useEffect(() => {
    if (revoke.status !== 'succeeded') return;
    setRevoking(null);
    revokeController.reset();
    router.refresh();
  }, [revoke, revokeController, router]);

  const creating = create.status === 'running';
  const nameError = create.status === 'failed' ? create.error.fieldErrors?.name?.[0] : undefined;
  const otherError = create.status === 'failed' && !nameError ? errorText(create.error) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setShown(null);
    void createController.submit({ name });
  }

  return (
    <Card as="section" aria-labelledby="api-keys-heading" className="flex flex-col gap-4" data-testid="api-keys">
      <div>
        <CardTitle id="api-keys-heading">{t('heading')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </div>
      <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <Field id="api-key-name" label={t('name')} error={nameError} className="flex-1">
          {(control) => (
            <Input {...control} value={name} maxLength={100} placeholder={t('namePlaceholder')} onChange={(e) => setName(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <Button type="submit" busy={creating} disabled={!hydrated || creating} data-testid="api-key-create">
          {t('create')}
        </Button>
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
              <DataCell label={t('colCreated')}>
                <LocalDateTime at={key.createdAt} locale={locale} />
              </DataCell>
              <DataCell data-testid="api-key-last-used" label={t('colLastUsed')}>{key.lastUsedAt ? <LocalDateTime at={key.lastUsedAt} locale={locale} /> : t('never')}</DataCell>
              <DataCell className="text-right" actions>
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={!hydrated}
                  onClick={(e) => {
                    returnFocus.current = e.currentTarget;
                    revokeController.reset();
                    setRevoking(key);
                  }}
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
        open={revoking !== null}
        title={t('revokeTitle')}
        description={t('revokeBody', { name: revoking?.name ?? '' })}
        confirmLabel={t('revokeConfirm')}
        cancelLabel={t('keep')}
        onConfirm={() => revoking && void revokeController.submit({ id: revoking.id })}
        onCancel={() => setRevoking(null)}
        pending={revoke.status === 'running' || revoke.status === 'succeeded'}
        testId="revoke-key-dialog"
        confirmTestId="revoke-key-confirm"
        cancelTestId="revoke-key-keep"
        returnFocus={returnFocus}
      >
        {revoke.status === 'failed' && <Alert tone="error">{errorText(revoke.error)}</Alert>}
      </ConfirmDialog>
    </Card>
  );
}
