'use client';
import { useRouter } from 'next/navigation';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { AttemptInterrupted } from '@/components/ui/attempt-interrupted';
import { Button } from '@/components/ui/button';

const OPEN = apiRoute('POST', '/api/teams/[tid]/payouts/account');
const TEST_ONBOARDING = apiRoute('POST', '/api/teams/[tid]/payouts/test-onboarding');

/**
 * Creates the team's connected account the first time (one per team, ever:
 * the server's provider key is derived from the team) and goes to the
 * onboarding link it answers: Stripe's, or this page's test onboarding.
 */
export function OpenAccountButton({ teamId, label }: { teamId: string; label: string }) {
  const [state, controller] = useActionController(async (_payload: Record<string, never>, context) => {
    const result = await apiCall(OPEN, { params: { tid: teamId }, correlationId: context.correlationId, signal: context.signal });
    if (result.ok) window.location.assign(result.data.onboardingUrl);
    return result;
  });
  const busy = state.status === 'running' || state.status === 'succeeded';
  return (
    <div className="flex flex-col gap-1">
      <Button onClick={() => controller.submit({})} busy={busy} data-testid="payouts-open-account">
        {label}
      </Button>
      {state.status === 'interrupted' && <AttemptInterrupted onResend={() => void controller.resend()} onDiscard={controller.cancel} />}
      {state.status === 'failed' && (
        <p role="alert" className="text-xs text-red-700" data-testid="payouts-open-account-error">
          {state.error.message}
        </p>
      )}
    </div>
  );
}

/** The test provider's one button: the simulated account is onboarded through the payment inbox, then the page shows it. */
export function TestOnboardingButton({ teamId, label }: { teamId: string; label: string }) {
  const router = useRouter();
  const [state, controller] = useActionController(async (_payload: Record<string, never>, context) => {
    const result = await apiCall(TEST_ONBOARDING, { params: { tid: teamId }, correlationId: context.correlationId, signal: context.signal });
    if (result.ok) {
      router.replace('/payouts');
      router.refresh();
    }
    return result;
  });
  const busy = state.status === 'running' || state.status === 'succeeded';
  return (
    <div className="flex flex-col gap-1">
      <Button onClick={() => controller.submit({})} busy={busy} data-testid="payouts-test-onboard">
        {label}
      </Button>
      {state.status === 'failed' && (
        <p role="alert" className="text-xs text-red-700">
          {state.error.message}
        </p>
      )}
    </div>
  );
}
