import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { MEMBER_ROLES } from '@/db/enums';
import { hasRole } from '@/lib/auth/guard';
import { API_TOKEN_CREATOR_ROLE } from './schema';

/** Member roles that may create admin API tokens (the role `createApiTokenAction` asks for, or above). */
const CREATOR_ROLES = MEMBER_ROLES.filter((role) => hasRole(role, API_TOKEN_CREATOR_ROLE));

/**
 * [credentials-follow-people] An admin API token is personal: it works only while the person who created
 * it could still create it — an enabled account that is an admin or owner of the token's copilot, or an
 * instance admin — and has held that without a break since the token was made. Removed, downgraded to
 * viewer or disabled → false, and it stays false when the role comes back later (the grant's `…_since`
 * is then newer than the token). A creator whose account was deleted (`created_by` null) → false.
 *
 * Evaluated in the same statement that looks the token up (a join on the membership and the account),
 * so every way of losing the role is covered without any action having to remember to revoke.
 * For a query whose FROM is `api_tokens` (named in full: drizzle leaves column names unqualified here).
 */
export const creatorStillEntitled: SQL<boolean> = sql<boolean>`exists (
  select 1 from users u
  left join memberships m on m.user_id = u.id and m.copilot_id = api_tokens.copilot_id
  where u.id = api_tokens.created_by
    and u.disabled_at is null
    and u.enabled_since <= api_tokens.created_at
    and (
      (m.role in (${sql.join(
        CREATOR_ROLES.map((role) => sql`${role}`),
        sql`, `,
      )}) and m.admin_since <= api_tokens.created_at)
      or (u.instance_admin and u.instance_admin_since <= api_tokens.created_at)
    ))`;
