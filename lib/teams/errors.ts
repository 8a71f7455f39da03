// Teams' error codes (docs/api.md, "Teams, roles and door devices"): lib/errors
// learns them by declaration merging; lib/http/status.ts gives them their status.

/** 403: a member whose role lacks the permission (or a door device outside the scanner), a key outside its scopes, an invitation for another address. */
export const TEAM_FORBIDDEN_CODES = ['FORBIDDEN_FOR_ROLE', 'INSUFFICIENT_SCOPE', 'INVITATION_FOR_OTHER_EMAIL'] as const;
/** 409: the team's state refuses it. */
export const TEAM_CONFLICT_CODES = ['LAST_OWNER', 'ALREADY_MEMBER'] as const;

export type TeamErrorCode = (typeof TEAM_FORBIDDEN_CODES)[number] | (typeof TEAM_CONFLICT_CODES)[number];

declare module '@/lib/errors' {
  interface DomainErrorCodes extends Record<TeamErrorCode, true> {}
}
