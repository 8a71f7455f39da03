'use client';
// The Team page (/team): members with their roles, pending invitations, the
// invite form (each role explained in a line), role changes and removals
// after a confirmation, and leaving. Only what the viewer's role may do is
// offered (`can`, lib/teams/permissions.ts); the server refuses the rest
// anyway. Every mutation is one ActionController attempt (one
// Idempotency-Key, reused by its retries), and the page is read again after.
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import { apiRoute } from '@/lib/api-routes';
import { TEAM_ROLES, type TeamRole } from '@/lib/enums';
import { LOCALES, type Locale } from '@/lib/i18n/config';
import { can } from '@/lib/teams/permissions';
import type { InvitationDto, MemberDto, TeamDto } from '@/lib/teams/schemas';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { LocalDateTime } from '@/components/ui/local-date-time';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

type Props = {
  team: TeamDto;
  /** The viewer's user id (their own row says "you", and offers Leave). */
  viewerId: string;
  /** The personal team's founder, who stays its owner; null for a team made with "Create team". */
  founderId: string | null;
  members: MemberDto[];
  invitations: InvitationDto[];
};

type RoleChange = { member: MemberDto; role: TeamRole };

export function TeamMembers({ team, viewerId, founderId, members, invitations }: Props) {
  const t = useTranslations('team');
  const tRoles = useTranslations('roles');
  const tHelp = useTranslations('roleHelp');
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const manage = can(team.role, 'members:manage');

  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TeamRole>('manager');
  const [mailLocale, setMailLocale] = useState<Locale>(locale === 'ru' ? 'ru' : 'en');
  const [sentTo, setSentTo] = useState<string | null>(null);
  /** The role picked in each row's select, before its confirmation. */
  const [picked, setPicked] = useState<Record<string, TeamRole>>({});

  const [invite, inviteController] = useActionController((body: { email: string; role: TeamRole; locale: Locale }, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/teams/[tid]/invitations'), { params: { tid: team.id }, body, correlationId, signal }),
  );
  const roleChange = useConfirmedAction(({ member, role }: RoleChange, { correlationId, signal }) =>
    apiCall(apiRoute('PATCH', '/api/teams/[tid]/members/[uid]'), { params: { tid: team.id, uid: member.userId }, body: { role }, correlationId, signal }),
  );
  const removal = useConfirmedAction((member: MemberDto, { correlationId, signal }) =>
    apiCall(apiRoute('DELETE', '/api/teams/[tid]/members/[uid]'), { params: { tid: team.id, uid: member.userId }, correlationId, signal }),
  );
  const revocation = useConfirmedAction((invitation: InvitationDto, { correlationId, signal }) =>
    apiCall(apiRoute('DELETE', '/api/teams/[tid]/invitations/[iid]'), { params: { tid: team.id, iid: invitation.id }, correlationId, signal }),
  );
  const leave = useConfirmedAction(
    (_team: TeamDto, { correlationId, signal }) => apiCall(apiRoute('DELETE', '/api/teams/[tid]/membership'), { params: { tid: team.id }, correlationId, signal }),
    // Out of the team: back to the personal team's events (the stale cookie falls back to it).
    () => window.location.assign('/events'),
  );

  useEffect(() => {
    if (invite.status !== 'succeeded') return;
    setSentTo(invite.result.invitation.email);
    setEmail('');
    inviteController.reset();
    router.refresh();
  }, [invite, inviteController, router]);

  const emailError = invite.status === 'failed' ? invite.error.fieldErrors?.email?.[0] : undefined;
  const inviteError = invite.status === 'failed' && !emailError ? errorText(invite.error) : null;
  const displayName = (member: MemberDto) => member.name || member.email;
  // The last owner can be neither demoted, removed nor leave (409 LAST_OWNER): none of it is offered.
  const owners = members.filter((m) => m.role === 'owner').length;
  const lastOwner = (member: MemberDto) => member.role === 'owner' && owners <= 1;
  const viewer = members.find((m) => m.userId === viewerId);

  function submitInvite(e: FormEvent) {
    e.preventDefault();
    setSentTo(null);
    void inviteController.submit({ email, role, locale: mailLocale });
  }

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="members-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="members-heading" className="text-lg font-semibold text-slate-900">
            {t('membersHeading')}
          </h2>
          {founderId !== viewerId && viewer && !lastOwner(viewer) && (
            <Button
              variant="secondary"
              size="sm"
              disabled={!hydrated}
              onClick={(e) => leave.ask(team, e.currentTarget)}
              data-testid="team-leave"
            >
              {t('leave')}
            </Button>
          )}
        </div>
        <DataTable
          caption={t('membersCaption', { team: team.name })}
          labelledBy="members-heading"
          columns={[
            { id: 'name', header: t('colName') },
            { id: 'email', header: t('colEmail') },
            { id: 'role', header: t('colRole') },
            { id: 'joined', header: t('colJoined'), className: 'hidden md:table-cell' },
            ...(manage ? [{ id: 'actions', header: t('colActions'), headerHidden: true }] : []),
          ]}
          testId="members-table"
        >
          {members.map((member) => {
            const fixed = member.userId === founderId || lastOwner(member);
            const choice = picked[member.userId] ?? member.role;
            return (
              <tr key={member.userId} data-testid="member-row" data-user-id={member.userId} data-role={member.role}>
                <DataRowHeader>
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="break-words">{displayName(member)}</span>
                    {member.userId === viewerId && <Badge tone="indigo">{t('you')}</Badge>}
                    {member.userId === founderId && <Badge>{t('founder')}</Badge>}
                  </span>
                </DataRowHeader>
                <DataCell label={t('colEmail')} className="break-all">
                  {member.email}
                </DataCell>
                <DataCell label={t('colRole')} data-testid="member-role">
                  {tRoles(member.role)}
                </DataCell>
                <DataCell label={t('colJoined')} className="hidden md:table-cell">
                  <LocalDateTime at={member.joinedAt} locale={locale} />
                </DataCell>
                {manage && (
                  <DataCell className="text-right" actions>
                    {!fixed && (
                      <span className="flex flex-wrap items-center gap-2 sm:justify-end">
                        <label className="sr-only" htmlFor={`role-${member.userId}`}>
                          {t('changeRoleOf', { name: displayName(member) })}
                        </label>
                        <Select
                          id={`role-${member.userId}`}
                          className="w-36"
                          value={choice}
                          disabled={!hydrated}
                          onChange={(e) => setPicked({ ...picked, [member.userId]: e.target.value as TeamRole })}
                          data-testid="member-role-select"
                        >
                          {TEAM_ROLES.map((r) => (
                            <option key={r} value={r}>
                              {tRoles(r)}
                            </option>
                          ))}
                        </Select>
                        <Button
                          variant="secondary"
                          size="sm"
                          disabled={!hydrated || choice === member.role}
                          onClick={(e) => roleChange.ask({ member, role: choice }, e.currentTarget)}
                          aria-label={t('changeRoleOf', { name: displayName(member) })}
                          data-testid="member-change-role"
                        >
                          {t('changeRole')}
                        </Button>
                        <Button
                          variant="secondary"
                          size="sm"
                          disabled={!hydrated}
                          onClick={(e) => removal.ask(member, e.currentTarget)}
                          aria-label={t('removeOf', { name: displayName(member) })}
                          data-testid="member-remove"
                        >
                          {t('remove')}
                        </Button>
                      </span>
                    )}
                  </DataCell>
                )}
              </tr>
            );
          })}
        </DataTable>
      </section>

      <section aria-labelledby="invitations-heading" className="flex flex-col gap-3">
        <h2 id="invitations-heading" className="text-lg font-semibold text-slate-900">
          {t('invitationsHeading')}
        </h2>
        {invitations.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="invitations-empty">
            {t('invitationsEmpty')}
          </p>
        ) : (
          <DataTable
            caption={t('invitationsCaption')}
            labelledBy="invitations-heading"
            columns={[
              { id: 'email', header: t('colEmail') },
              { id: 'role', header: t('colRole') },
              { id: 'expires', header: t('colExpires') },
              ...(manage ? [{ id: 'actions', header: t('colActions'), headerHidden: true }] : []),
            ]}
            testId="invitations-table"
          >
            {invitations.map((invitation) => (
              <tr key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
                <DataRowHeader>
                  <span className="break-all">{invitation.email}</span>
                </DataRowHeader>
                <DataCell label={t('colRole')}>{tRoles(invitation.role)}</DataCell>
                <DataCell label={t('colExpires')}>
                  <LocalDateTime at={invitation.expiresAt} locale={locale} />
                </DataCell>
                {manage && (
                  <DataCell className="text-right" actions>
                    <Button
                      variant="secondary"
                      size="sm"
                      disabled={!hydrated}
                      onClick={(e) => revocation.ask(invitation, e.currentTarget)}
                      aria-label={t('revokeOf', { email: invitation.email })}
                      data-testid="invitation-revoke"
                    >
                      {t('revoke')}
                    </Button>
                  </DataCell>
                )}
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      {manage && (
        <Card as="section" aria-labelledby="invite-heading" className="flex flex-col gap-4" data-testid="invite-form">
          <div>
            <CardTitle id="invite-heading">{t('inviteHeading')}</CardTitle>
            <CardDescription>{t('inviteBody')}</CardDescription>
          </div>
          <form onSubmit={submitInvite} className="flex flex-col gap-4" noValidate>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="invite-email" label={t('email')} error={emailError}>
                {(control) => (
                  <Input {...control} type="email" value={email} maxLength={254} autoComplete="off" onChange={(e) => setEmail(e.target.value)} />
                )}
              </Field>
              <Field id="invite-locale" label={t('mailLanguage')}>
                {(control) => (
                  <Select {...control} value={mailLocale} onChange={(e) => setMailLocale(e.target.value as Locale)}>
                    {LOCALES.map((l) => (
                      <option key={l} value={l} lang={l}>
                        {l === 'ru' ? 'Русский' : 'English'}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            </div>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium text-slate-800">{t('role')}</legend>
              {TEAM_ROLES.map((r) => (
                <label
                  key={r}
                  className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-indigo-400 has-[:checked]:bg-indigo-50"
                >
                  <input type="radio" name="invite-role" value={r} checked={role === r} onChange={() => setRole(r)} className="mt-1 accent-indigo-600" />
                  <span>
                    <span className="font-medium text-slate-900">{tRoles(r)}</span>
                    <span className="text-slate-600">: {tHelp(r)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div>
              <Button type="submit" busy={invite.status === 'running'} disabled={!hydrated || invite.status === 'running'} data-testid="invite-submit">
                {t('invite')}
              </Button>
            </div>
            {inviteError && <Alert tone="error">{inviteError}</Alert>}
            {sentTo && (
              <Alert tone="success" testId="invite-sent">
                {t('invited', { email: sentTo })}
              </Alert>
            )}
          </form>
        </Card>
      )}

      <ConfirmDialog
        {...roleChange.dialog}
        title={t('roleTitle', { name: roleChange.target ? displayName(roleChange.target.member) : '' })}
        description={
          roleChange.target
            ? t('roleBody', { name: displayName(roleChange.target.member), role: tRoles(roleChange.target.role), help: tHelp(roleChange.target.role) })
            : undefined
        }
        confirmLabel={t('roleConfirm')}
        cancelLabel={t('keep')}
        tone="primary"
        testId="change-role-dialog"
        confirmTestId="change-role-confirm"
        cancelTestId="change-role-keep"
      >
        {roleChange.error && <Alert tone="error">{roleChange.error}</Alert>}
      </ConfirmDialog>
      <ConfirmDialog
        {...removal.dialog}
        title={t('removeTitle', { name: removal.target ? displayName(removal.target) : '' })}
        description={t('removeBody')}
        confirmLabel={t('removeConfirm')}
        cancelLabel={t('keep')}
        testId="remove-member-dialog"
        confirmTestId="remove-member-confirm"
        cancelTestId="remove-member-keep"
      >
        {removal.error && <Alert tone="error">{removal.error}</Alert>}
      </ConfirmDialog>
      <ConfirmDialog
        {...revocation.dialog}
        title={t('revokeTitle', { email: revocation.target?.email ?? '' })}
        description={t('revokeBody')}
        confirmLabel={t('revokeConfirm')}
        cancelLabel={t('keep')}
        testId="revoke-invitation-dialog"
        confirmTestId="revoke-invitation-confirm"
        cancelTestId="revoke-invitation-keep"
      >
        {revocation.error && <Alert tone="error">{revocation.error}</Alert>}
      </ConfirmDialog>
      <ConfirmDialog
        {...leave.dialog}
        title={t('leaveTitle', { team: team.name })}
        description={t('leaveBody')}
        confirmLabel={t('leaveConfirm')}
        cancelLabel={t('keep')}
        testId="leave-team-dialog"
        confirmTestId="leave-team-confirm"
        cancelTestId="leave-team-keep"
      >
        {leave.error && <Alert tone="error">{leave.error}</Alert>}
      </ConfirmDialog>
    </div>
  );
}
