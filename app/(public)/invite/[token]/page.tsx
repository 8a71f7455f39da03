// An invitation's link (`/invite/<token>`, from its mail): the team and the
// role it offers, and what to do: accept (signed in with the invited
// address), sign in or up and come back (`?next=`), or sign out when signed
// in as someone else. A link that is unknown, used, revoked or expired says so.
import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getSessionUser } from '@/lib/auth/server';
import { invitationByToken, teamsOf } from '@/lib/teams/server';
import { AcceptInvitation } from '@/components/teams/accept-invitation';
import { SignOutButton } from '@/components/layout/sign-out-button';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('invite');
  // The token stays out of referrers: the page links out only to this app.
  return { title: t('title'), robots: { index: false, follow: false } };
}

export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const [invitation, user, t, tRoles, tHelp, locale] = await Promise.all([
    invitationByToken(token),
    getSessionUser(),
    getTranslations('invite'),
    getTranslations('roles'),
    getTranslations('roleHelp'),
    getLocale(),
  ]);

  if (!invitation) {
    return (
      <Card className="flex flex-col gap-3" data-testid="invite-page" data-state="not-found">
        <CardTitle as="h1" size="page">
          {t('notFoundTitle')}
        </CardTitle>
        <CardDescription>{t('notFoundBody')}</CardDescription>
        <div>
          <ButtonLink href={user ? '/events' : '/sign-in'} variant="secondary">
            {user ? t('toEvents') : t('signIn')}
          </ButtonLink>
        </div>
      </Card>
    );
  }

  const role = tRoles(invitation.role);
  const here = `/invite/${token}`;
  const validUntil = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(invitation.expiresAt));
  const member = user ? (await teamsOf(user.id)).some((team) => team.id === invitation.teamId) : false;
  const sameEmail = user ? user.email.trim().toLowerCase() === invitation.email : false;
  const state = !user ? 'signed-out' : member ? 'member' : sameEmail ? 'ready' : 'other-email';

  return (
    <Card className="flex flex-col gap-4" data-testid="invite-page" data-state={state}>
      <div className="flex flex-col gap-2">
        <CardTitle as="h1" size="page">
          {t('title')}
        </CardTitle>
        <p className="text-base text-slate-800" data-testid="invite-lead">
          {t('lead', { team: invitation.teamName, role })}
        </p>
        <p className="text-sm text-slate-700">{t('may', { role, help: tHelp(invitation.role) })}</p>
        <p className="text-sm text-slate-600">
          {t('forEmail', { email: invitation.email })} {t('validUntil', { date: validUntil })}
        </p>
      </div>
      {state === 'signed-out' && (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-700">{t('signInBody', { email: invitation.email })}</p>
          <div className="flex flex-col gap-2 sm:flex-row">
            <ButtonLink href={`/sign-in?next=${encodeURIComponent(here)}`}>{t('signIn')}</ButtonLink>
            <ButtonLink href={`/sign-up?next=${encodeURIComponent(here)}`} variant="secondary">
              {t('signUp')}
            </ButtonLink>
          </div>
        </div>
      )}
      {state === 'member' && (
        <Alert tone="info" title={t('alreadyMemberTitle')} testId="invite-already-member">
          {t('alreadyMemberBody', { team: invitation.teamName })}
        </Alert>
      )}
      {state === 'other-email' && user && (
        <div className="flex flex-col gap-3">
          <Alert tone="warning" title={t('wrongEmailTitle')} testId="invite-other-email">
            {t('wrongEmail', { current: user.email, email: invitation.email })}
          </Alert>
          <div>
            <SignOutButton next={here} />
          </div>
        </div>
      )}
      {state === 'ready' && <AcceptInvitation token={token} teamId={invitation.teamId} teamName={invitation.teamName} roleName={role} />}
    </Card>
  );
}
