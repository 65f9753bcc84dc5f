/** The roles a user can hold. Every HTTP route declares which of these it allows. */
export const ROLES = [
  'admin',
  'manager',
  'collector',
  'field_agent',
  'legal',
  'agency_user',
  'compliance_officer',
  'auditor',
] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Who is acting: a signed-in user (session cookie or API token) or a local command. */
export interface Principal {
  userId: number;
  username: string;
  role: Role;
  /** Set only for agency_user: every database query of the request is confined to this agency's placements. */
  agencyId: number | null;
  via: 'session' | 'token' | 'cli';
  /** Session cookie requests must prove this CSRF token on unsafe methods. */
  csrfToken?: string;
  sessionHash?: string;
}

/** The actor written into audit records, e.g. `user:3:alice` or `cli`. */
export const actorOf = (p: Principal | null): string =>
  p === null || p.via === 'cli' ? 'cli' : `user:${p.userId}:${p.username}`;
