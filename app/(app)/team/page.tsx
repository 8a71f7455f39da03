import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { membersOf, teamPage } from '@/lib/teams/server';
import { TeamMembers } from '@/components/teams/team-members';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('team');
  return { title: t('title') };
}

/** The current team's members and invitations (any member sees them; owners manage them). */
export default async function TeamPage() {
  const { user, team } = await teamPage('/team', 'members:read');
  const { members, invitations } = await membersOf(team.id);
  const t = await getTranslations('team');
  return (
    <div className="flex flex-col gap-6" data-testid="team-page" data-team-id={team.id}>
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="text-sm text-slate-700">{t('lead', { team: team.name })}</p>
        {team.personal && <p className="text-sm text-slate-600">{t('personalNote')}</p>}
      </div>
      <TeamMembers team={team} viewerId={user.id} founderId={team.personal ? team.id : null} members={members} invitations={invitations} />
    </div>
  );
}
