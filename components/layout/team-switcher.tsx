'use client';
// The header's team switcher: the user's teams with their role in each; a
// choice is stored in the `team` cookie (lib/teams/schemas.ts TEAM_COOKIE),
// which the pages and the API act in (else the personal team), and the page
// is rendered again. "Create team…" opens a dialog: POST /api/teams, then
// switches to the new team.
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition, type FormEvent } from 'react';
import { DropdownMenu } from 'radix-ui';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import { apiRoute } from '@/lib/api-routes';
import { TEAM_COOKIE, type TeamDto } from '@/lib/teams/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

/** Stores the choice for every page and request of this browser (a year, like the language). */
export function chooseTeam(teamId: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser we serve.
  document.cookie = `${TEAM_COOKIE}=${teamId}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

const menuItem =
  'flex min-h-10 cursor-pointer items-center gap-3 rounded-md px-3 py-2 text-sm text-slate-800 outline-none select-none ' +
  'data-[highlighted]:bg-indigo-50 data-[disabled]:cursor-not-allowed data-[disabled]:opacity-60';

export function TeamSwitcher({ teams, current }: { teams: TeamDto[]; current: TeamDto }) {
  const t = useTranslations('teamSwitcher');
  const tRoles = useTranslations('roles');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [pending, startTransition] = useTransition();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const trigger = useRef<HTMLButtonElement | null>(null);

  const [create, createController] = useActionController((body: { name: string }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/teams'), { body, correlationId, signal }),
  );

  const switchTo = (teamId: string) => {
    chooseTeam(teamId);
    startTransition(() => router.refresh());
  };

  useEffect(() => {
    if (create.status !== 'succeeded') return;
    const team = create.result.team;
    createController.reset();
    setCreating(false);
    setName('');
    chooseTeam(team.id);
    // The new team's pages: start from its (empty) events list.
    startTransition(() => {
      router.push('/events');
      router.refresh();
    });
  }, [create, createController, router]);

  const nameError = create.status === 'failed' ? create.error.fieldErrors?.name?.[0] : undefined;
  const otherError = create.status === 'failed' && !nameError ? errorText(create.error) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    void createController.submit({ name });
  }

  return (
    <>
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger asChild>
          <button
            ref={trigger}
            type="button"
            disabled={!hydrated}
            className={cx(
              'inline-flex min-h-9 max-w-56 items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-left text-sm shadow-sm',
              'hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60',
              pending && 'opacity-70',
            )}
            data-testid="team-switcher"
            data-team-id={current.id}
          >
            {/* The name a screen reader hears holds the visible text (WCAG 2.5.3): "Team: <name> <role>". */}
            <span className="sr-only">{t('label')}: </span>
            <span className="flex min-w-0 flex-col leading-tight">
              <span className="truncate font-medium text-slate-900" data-testid="team-switcher-name">
                {current.name}
              </span>
              <span className="truncate text-xs text-slate-600">{tRoles(current.role)}</span>
            </span>
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4 shrink-0 text-slate-500">
              <path d="M5.23 7.21a.75.75 0 0 1 1.06.02L10 11.17l3.71-3.94a.75.75 0 1 1 1.08 1.04l-4.25 4.5a.75.75 0 0 1-1.08 0l-4.25-4.5a.75.75 0 0 1 .02-1.06Z" />
            </svg>
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="start"
            sideOffset={6}
            className="z-50 max-h-[70vh] w-72 max-w-[calc(100vw-2rem)] overflow-y-auto rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200"
            data-testid="team-switcher-menu"
          >
            <DropdownMenu.Label className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{t('label')}</DropdownMenu.Label>
            <DropdownMenu.RadioGroup value={current.id} onValueChange={switchTo}>
              {teams.map((team) => (
                <DropdownMenu.RadioItem key={team.id} value={team.id} className={menuItem} data-testid="team-switcher-item" data-team-id={team.id}>
                  <span className="flex size-4 shrink-0 items-center justify-center text-indigo-700">
                    <DropdownMenu.ItemIndicator>
                      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
                        <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z" />
                      </svg>
                    </DropdownMenu.ItemIndicator>
                  </span>
                  <span className="flex min-w-0 flex-col">
                    <span className="truncate font-medium">{team.name}</span>
                    <span className="truncate text-xs text-slate-600">
                      {tRoles(team.role)}
                      {team.personal && ` · ${t('personal')}`}
                    </span>
                  </span>
                </DropdownMenu.RadioItem>
              ))}
            </DropdownMenu.RadioGroup>
            <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
            <DropdownMenu.Item
              className={cx(menuItem, 'text-indigo-700')}
              onSelect={() => {
                createController.reset();
                setCreating(true);
              }}
              data-testid="team-create"
            >
              {t('createTeam')}
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <Dialog
        open={creating}
        onDismiss={() => setCreating(false)}
        dismissible={create.status !== 'running'}
        title={t('createTitle')}
        description={t('createBody')}
        testId="team-create-dialog"
        returnFocus={trigger}
      >
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <Field id="team-name" label={t('name')} error={nameError}>
            {(control) => (
              <Input {...control} value={name} maxLength={100} placeholder={t('namePlaceholder')} onChange={(e) => setName(e.target.value)} autoComplete="off" />
            )}
          </Field>
          {otherError && <Alert tone="error">{otherError}</Alert>}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => setCreating(false)} disabled={create.status === 'running'}>
              {t('cancel')}
            </Button>
            <Button type="submit" busy={create.status === 'running'} data-testid="team-create-submit">
              {t('create')}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
