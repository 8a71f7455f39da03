'use client';
// Accept on the invitation page: POST /api/invitations/:token/accept (one
// attempt, one Idempotency-Key); then "Open the team" makes it the current
// team (the switcher's cookie) and opens its Team page.
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import { apiRoute } from '@/lib/api-routes';
import { chooseTeam } from '@/components/layout/team-switcher';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

export function AcceptInvitation({ token, teamId, teamName, roleName }: { token: string; teamId: string; teamName: string; roleName: string }) {
  const t = useTranslations('invite');
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [accept, acceptController] = useActionController((_payload: null, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/invitations/[token]/accept'), { params: { token }, correlationId, signal }),
  );

  if (accept.status === 'succeeded') {
    return (
      <div className="flex flex-col gap-3">
        <Alert tone="success" testId="invite-accepted">
          {t('accepted', { team: teamName, role: roleName })}
        </Alert>
        <div>
          <Button
            onClick={() => {
              chooseTeam(teamId);
              window.location.assign('/team');
            }}
            data-testid="invite-open-team"
          >
            {t('openTeam')}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <div>
        <Button
          busy={accept.status === 'running'}
          disabled={!hydrated || accept.status === 'running'}
          onClick={() => void acceptController.submit(null)}
          data-testid="invite-accept"
        >
          {t('accept')}
        </Button>
      </div>
      {accept.status === 'failed' && <Alert tone="error">{errorText(accept.error)}</Alert>}
    </div>
  );
}
