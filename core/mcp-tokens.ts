// What the dashboard (lib/mcp-tokens) and the data plane (server/data-plane) both need of MCP tokens.
import { sql, type SQL } from 'drizzle-orm';
import type { Role } from '@/db/enums';

/** Plaintext prefix of an MCP token: distinct from server keys and admin API tokens, so a leaked one is recognisable. */
export const MCP_TOKEN_PREFIX = 'chmcp_';

/** The member roles that may hold an MCP token (lib/mcp-tokens/schema.ts: MCP_TOKEN_HOLDER_ROLE and above). */
export const MCP_TOKEN_HOLDER_ROLES = ['owner', 'admin'] as const satisfies readonly Role[];

/**
 * [credentials-follow-people] An MCP token is personal: it works only while its holder (`created_by`) could
 * still create it — an enabled account that is an admin or owner of the token's copilot, or an instance
 * admin — held without a break since the token was made (the same rule as admin API tokens,
 * lib/api-tokens/entitlement.ts). For a query whose FROM is `mcp_tokens`.
 *
 * The runtime remembers a looked-up token until its copilot's runtime generation changes, so every change
 * that can end a holder's role bumps the generations of the copilots their tokens belong to (lib/mcp-tokens/holder-changes.ts).
 */
export const holderStillEntitled: SQL<boolean> = sql<boolean>`exists (
  select 1 from users u
  left join memberships m on m.user_id = u.id and m.copilot_id = mcp_tokens.copilot_id
  where u.id = mcp_tokens.created_by
    and u.disabled_at is null
    and u.enabled_since <= mcp_tokens.created_at
    and (
      (m.role in (${sql.join(
        MCP_TOKEN_HOLDER_ROLES.map((role) => sql`${role}`),
        sql`, `,
      )}) and m.admin_since <= mcp_tokens.created_at)
      or (u.instance_admin and u.instance_admin_since <= mcp_tokens.created_at)
    ))`;
