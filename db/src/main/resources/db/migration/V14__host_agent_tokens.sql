-- Host agent tokens that an operator issues, rotates and revokes. Only the token's SHA-256 is stored (as since V1);
-- a revoked host keeps its row, its GPUs and its slices but has no hash, so no token can act for it until an operator
-- issues a new one. When the token was last used is the host's last_seen_at: every agent call refreshes it.

-- Null while the host's token is revoked.
alter table host alter column agent_token_hash drop not null;
-- The start of the token as issued ('vgha_' and 8 more characters), shown so that an operator can tell which token an
-- agent has; null for a token set from configuration (the demo host) or before V14.
alter table host add column agent_token_prefix text
    constraint host_agent_token_prefix_check check (agent_token_prefix ~ '^[A-Za-z0-9_-]{4,16}$');
-- When the current (or, for a revoked host, the last) token was issued.
alter table host add column agent_token_issued_at timestamptz not null default now();
update host set agent_token_issued_at = created_at;
-- When the token was revoked; set exactly while there is no hash.
alter table host add column agent_token_revoked_at timestamptz;
alter table host add constraint host_agent_token_revoked_check
    check ((agent_token_hash is null) = (agent_token_revoked_at is not null));
