'use client';
// Webhook endpoints on /settings/integrations: add one (URL, event types; the
// signing secret shown once), and per endpoint its status (disabled after a
// 410), a test message, the delivery log with a retry per delivery, and
// deleting it after a confirmation. Mutations go through the ActionController.
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall, type ClientError } from '@/lib/actions/api-client';
import type { ResponseOf } from '@/lib/actions/api-responses';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@/lib/enums';
import type { WebhookDeliveryDto, WebhookDeliveryType, WebhookEndpointDto } from '@/lib/webhooks/schemas';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
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
type Created = ResponseOf<'POST', '/api/webhook-endpoints'>;
type TypeKey = 'registration_created' | 'registration_cancelled' | 'order_paid' | 'order_refunded' | 'event_updated' | 'event_cancelled' | 'checkin_admitted' | 'webhook_test';
const typeKey = (type: WebhookDeliveryType) => type.replace('.', '_') as TypeKey;

/** `canWrite`: the role may create, test, retry and delete (webhooks:write); finance reads only. */
export function WebhookEndpointsPanel({ endpoints, canWrite = true }: { endpoints: WebhookEndpointDto[]; canWrite?: boolean }) {
  const t = useTranslations('integrations.webhooks');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['registration.created', 'registration.cancelled']);
  const [shown, setShown] = useState<Created | null>(null);

  const [create, createController] = useActionController((body: { url: string; events: WebhookEventType[] }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/webhook-endpoints'), { body, correlationId, signal }),
  );
  useEffect(() => {
    if (create.status !== 'succeeded') return;
    setShown(create.result);
    setUrl('');
    createController.reset();
    router.refresh();
  }, [create, createController, router]);

  const fieldErrors = create.status === 'failed' ? create.error.fieldErrors : undefined;
  const urlError = fieldErrors?.url?.[0];
  const eventsError = fieldErrors ? Object.entries(fieldErrors).find(([field]) => field.startsWith('events'))?.[1]?.[0] : undefined;
  const otherError = create.status === 'failed' && !urlError && !eventsError ? errorText(create.error) : null;
  const creating = create.status === 'running';

  function toggle(type: WebhookEventType, on: boolean) {
    setEvents((current) => (on ? [...current, type] : current.filter((t) => t !== type)));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setShown(null);
    void createController.submit({ url, events });
  }

  return (
    <Card as="section" aria-labelledby="webhooks-heading" className="flex flex-col gap-4" data-testid="webhooks">
      <div>
        <CardTitle id="webhooks-heading">{t('heading')}</CardTitle>
        <CardDescription>{t('description')}</CardDescription>
      </div>
      {canWrite && <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
        <Field id="webhook-url" label={t('url')} hint={t('urlHint')} error={urlError}>
          {(control) => (
            <Input {...control} type="url" inputMode="url" value={url} placeholder="https://crm.example.com/hooks/events" onChange={(e) => setUrl(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <fieldset aria-describedby={eventsError ? 'webhook-events-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">{t('events')}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-indigo-600"
                  checked={events.includes(type)}
                  onChange={(e) => toggle(type, e.target.checked)}
                  data-testid={`webhook-event-${type}`}
                />
                <span>
                  {t(`types.${typeKey(type)}`)} <code className="text-xs text-slate-500">{type}</code>
                </span>
              </label>
            ))}
          </div>
          {eventsError && (
            <p id="webhook-events-error" className="mt-1 text-sm text-red-700" data-testid="webhook-events-error">
              {eventsError}
            </p>
          )}
        </fieldset>
        <div>
          <Button type="submit" busy={creating} disabled={!hydrated || creating} data-testid="webhook-create">
            {t('create')}
          </Button>
        </div>
      </form>}
      {otherError && <Alert tone="error">{otherError}</Alert>}
      {shown && (
        <SecretOnce
          title={t('createdTitle', { url: shown.endpoint.url })}
          body={t('createdBody')}
          secret={shown.secret}
          lost={{ title: t('secretLostTitle', { url: shown.endpoint.url }), body: t('secretLostBody') }}
          doneLabel={t('done')}
          onDone={() => setShown(null)}
          testId="webhook-secret"
        />
      )}
      {endpoints.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="webhooks-empty">
          {t('empty')}
        </p>
      ) : (
        <ul className="flex flex-col gap-3">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id}>
              <EndpointItem endpoint={endpoint} canWrite={canWrite} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function EndpointItem({ endpoint, canWrite }: { endpoint: WebhookEndpointDto; canWrite: boolean }) {
  const t = useTranslations('integrations.webhooks');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [testQueued, setTestQueued] = useState(false);
  const [reloadTick, setReloadTick] = useState(0);
  const deleteButton = useRef<HTMLButtonElement>(null);

  const [test, testController] = useActionController(({ id }: { id: string }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/webhook-endpoints/[id]/test'), { params: { id }, correlationId, signal }),
  );
  const [remove, removeController] = useActionController(({ id }: { id: string }, { correlationId, signal }) =>
    apiCall(apiRoute('DELETE', '/api/webhook-endpoints/[id]'), { params: { id }, correlationId, signal }),
  );
  useEffect(() => {
    if (test.status !== 'succeeded') return;
    testController.reset();
    setTestQueued(true);
    setOpen(true);
    setReloadTick((n) => n + 1);
    router.refresh();
  }, [test, testController, router]);
  useEffect(() => {
    if (remove.status !== 'succeeded') return;
    setDeleting(false);
    removeController.reset();
    router.refresh();
  }, [remove, removeController, router]);

  const disabled = endpoint.status === 'disabled';
  return (
    <article className="flex flex-col gap-3 rounded-xl border border-slate-200 p-4" data-testid="webhook-endpoint" aria-label={endpoint.url}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="min-w-0 break-all font-mono text-sm text-slate-900">{endpoint.url}</span>
        <Badge tone={disabled ? 'red' : 'green'} testId="webhook-status">
          {t(`status.${endpoint.status}`)}
        </Badge>
      </div>
      <p className="text-xs text-slate-500" data-testid="webhook-created-by">
        {endpoint.createdBy.type === 'api_key'
          ? t('createdByKey', { name: endpoint.createdBy.name, prefix: endpoint.createdBy.prefix })
          : t('createdBySession')}
      </p>
      <ul className="flex flex-wrap gap-1.5" aria-label={t('events')}>
        {endpoint.events.map((type) => (
          <li key={type}>
            <Badge tone="indigo">{t(`types.${typeKey(type)}`)}</Badge>
          </li>
        ))}
      </ul>
      {disabled && (
        <Alert tone="warning" testId="webhook-disabled-note">
          {t('disabledNote')}
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        {canWrite && <Button
          variant="secondary"
          size="sm"
          busy={test.status === 'running'}
          disabled={!hydrated || test.status === 'running'}
          onClick={() => {
            setTestQueued(false);
            void testController.submit({ id: endpoint.id });
          }}
          data-testid="webhook-send-test"
        >
          {t('sendTest')}
        </Button>}
        <Button variant="secondary" size="sm" aria-expanded={open} disabled={!hydrated} onClick={() => setOpen((o) => !o)} data-testid="webhook-toggle-deliveries">
          {open ? t('hideDeliveries') : t('showDeliveries')}
        </Button>
        {canWrite && <Button
          ref={deleteButton}
          variant="ghost"
          size="sm"
          disabled={!hydrated}
          onClick={() => {
            removeController.reset();
            setDeleting(true);
          }}
          data-testid="webhook-delete"
        >
          {t('delete')}
        </Button>}
      </div>
      <p role="status" aria-live="polite" className="text-sm text-emerald-700">
        {testQueued ? t('testSent') : null}
      </p>
      {test.status === 'failed' && <Alert tone="error">{errorText(test.error)}</Alert>}
      {/* A new key after a test message: the log is read afresh. */}
      {open && <DeliveryLog key={reloadTick} endpoint={endpoint} canWrite={canWrite} />}
      <ConfirmDialog
        open={deleting}
        title={t('deleteTitle')}
        description={t('deleteBody', { url: endpoint.url })}
        confirmLabel={t('deleteConfirm')}
        cancelLabel={t('keep')}
        onConfirm={() => void removeController.submit({ id: endpoint.id })}
        onCancel={() => setDeleting(false)}
        pending={remove.status === 'running' || remove.status === 'succeeded'}
        testId="delete-webhook-dialog"
        confirmTestId="delete-webhook-confirm"
        cancelTestId="delete-webhook-keep"
        returnFocus={deleteButton}
      >
        {remove.status === 'failed' && <Alert tone="error">{errorText(remove.error)}</Alert>}
      </ConfirmDialog>
    </article>
  );
}

const STATUS_TONE = { pending: 'indigo', sending: 'indigo', delivered: 'green', failed: 'red' } as const;
/** While something is on its way, the log reads itself again this often. */
const LIVE_REFRESH_MS = 3000;

function DeliveryLog({ endpoint, canWrite }: { endpoint: WebhookEndpointDto; canWrite: boolean }) {
  const t = useTranslations('integrations.webhooks');
  const td = useTranslations('integrations.webhooks.deliveries');
  const locale = useLocale();
  const errorText = useErrorText();
  const [deliveries, setDeliveries] = useState<WebhookDeliveryDto[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  // The texts change identity each render; the loader must not (it keys the effects below).
  const describeFailure = useRef((e: ClientError) => `${td('loadFailed')} ${errorText(e)}`);
  describeFailure.current = (e: ClientError) => `${td('loadFailed')} ${errorText(e)}`;
  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      const result = await apiCall(apiRoute('GET', '/api/webhook-endpoints/[id]/deliveries'), { params: { id: endpoint.id }, signal });
      if (signal?.aborted) return;
      setLoading(false);
      if (result.ok) {
        setDeliveries(result.data.deliveries);
        setError(null);
      } else setError(describeFailure.current(result.error));
    },
    [endpoint.id],
  );

  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load]);

  const live = deliveries?.some((d) => d.status === 'pending' || d.status === 'sending') ?? false;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void load(), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, load]);

  return (
    <div className="flex flex-col gap-2" data-testid="webhook-deliveries">
      <div className="flex items-center gap-2">
        <Button variant="ghost" size="sm" busy={loading} disabled={loading} onClick={() => void load()} data-testid="webhook-deliveries-refresh">
          {t('refresh')}
        </Button>
        {loading && deliveries === null && <span className="text-sm text-slate-600">{td('loading')}</span>}
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      {deliveries?.length === 0 && (
        <p className="text-sm text-slate-600" data-testid="webhook-deliveries-empty">
          {td('empty')}
        </p>
      )}
      {deliveries && deliveries.length > 0 && (
        <DataTable
          caption={td('caption', { url: endpoint.url })}
          busy={loading}
          columns={[
            { id: 'type', header: td('colType') },
            { id: 'status', header: td('colStatus') },
            { id: 'code', header: td('colCode') },
            { id: 'attempts', header: td('colAttempts') },
            { id: 'next', header: td('colNext') },
            { id: 'actions', header: td('colActions'), headerHidden: true },
          ]}
          testId="webhook-deliveries-table"
        >
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="webhook-delivery-row" data-status={d.status}>
              <DataRowHeader>
                {t(`types.${typeKey(d.type)}`)}
                <span className="block text-xs font-normal text-slate-500">
                  <LocalDateTime at={d.createdAt} locale={locale} />
                </span>
              </DataRowHeader>
              <DataCell label={td('colStatus')}>
                <Badge tone={STATUS_TONE[d.status]} testId="webhook-delivery-status">
                  {td(`status.${d.status}`)}
                </Badge>
              </DataCell>
              <DataCell data-testid="webhook-delivery-code" title={d.lastError ?? undefined} label={td('colCode')}>
                {d.lastStatusCode ?? (d.lastError ? td('noAnswer') : td('none'))}
              </DataCell>
              <DataCell data-testid="webhook-delivery-attempts" label={td('colAttempts')}>
                {d.attempts}
              </DataCell>
              <DataCell label={td('colNext')}>{d.nextAttemptAt ? <LocalDateTime at={d.nextAttemptAt} locale={locale} /> : td('none')}</DataCell>
              <DataCell className="text-right" actions>
                {canWrite && d.status !== 'sending' && <RetryButton endpointId={endpoint.id} delivery={d} onDone={() => void load()} />}
              </DataCell>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

function RetryButton({ endpointId, delivery, onDone }: { endpointId: string; delivery: WebhookDeliveryDto; onDone: () => void }) {
  const td = useTranslations('integrations.webhooks.deliveries');
  const router = useRouter();
  const errorText = useErrorText();
  const [retry, controller] = useActionController(({ id }: { id: string }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/webhook-endpoints/[id]/deliveries/[did]/retry'), { params: { id: endpointId, did: id }, correlationId, signal }),
  );
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (retry.status !== 'succeeded') return;
    controller.reset();
    done.current();
    router.refresh();
  }, [retry, controller, router]);
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        size="sm"
        busy={retry.status === 'running'}
        disabled={retry.status === 'running'}
        onClick={() => void controller.submit({ id: delivery.id })}
        aria-label={`${td('retry')}: ${delivery.messageId}`}
        data-testid="webhook-delivery-retry"
      >
        {td('retry')}
      </Button>
      {retry.status === 'failed' && (
        <span role="alert" className="text-xs text-red-700">
          {errorText(retry.error)}
        </span>
      )}
    </span>
  );
}
