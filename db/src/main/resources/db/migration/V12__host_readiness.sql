-- Host readiness: the checks the host's agent ran (its `doctor`), sent with its inventory report. Both columns are
-- null while the host has no readiness reported (an agent older than the checks, or a report without them).

-- The checks as the agent sent them: a JSON array of {scope, check, status, summary, fix}. The server validates each
-- check before it stores them; the schema holds the array's shape and its pairing with the time it was checked.
alter table host add column readiness jsonb
    constraint host_readiness_array_check check (jsonb_typeof(readiness) = 'array');
-- When the agent ran the checks (by its clock), not when the server received them.
alter table host add column readiness_checked_at timestamptz;
alter table host add constraint host_readiness_checked_at_check
    check ((readiness is null) = (readiness_checked_at is null));
