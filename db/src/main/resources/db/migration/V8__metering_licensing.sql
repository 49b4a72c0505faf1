-- Usage metering (raw samples partitioned by month, batches, hourly rollups) and NVIDIA vGPU software license
-- seats (editions, entitlements, leases).

-- Raw samples, partitioned by the month of sampled_at so that old months are dropped whole and the table can
-- move to a distributed PostgreSQL unchanged. The key includes the partition column, as PostgreSQL requires.
alter table usage_sample rename to usage_sample_v1;
alter index usage_sample_pkey rename to usage_sample_v1_pkey;
alter index usage_sample_slice_id_sampled_at_key rename to usage_sample_v1_slice_id_sampled_at_key;
drop index usage_sample_slice_idx;

create table usage_sample (
    slice_id                 bigint      not null constraint usage_sample_slice_id_fkey references slice (id),
    batch_id                 uuid        not null,
    sampled_at               timestamptz not null,
    gpu_utilization_percent  smallint    not null
        constraint usage_sample_gpu_utilization_percent_check check (gpu_utilization_percent between 0 and 100),
    memory_used_mib          integer     not null constraint usage_sample_memory_used_mib_check check (memory_used_mib >= 0),
    -- The guest's vGPU license state as NVML reported it with the sample (null: the agent had no vGPU to ask).
    license_state            text        constraint usage_sample_license_state_check check (license_state in
        ('UNKNOWN', 'UNINITIALIZED', 'UNLICENSED_UNRESTRICTED', 'UNLICENSED_RESTRICTED', 'UNLICENSED', 'LICENSED',
         'NO_GUEST_DRIVER')),
    received_at              timestamptz not null default now(),
    constraint usage_sample_pk primary key (slice_id, sampled_at)
) partition by range (sampled_at);

-- Creates the month partition that holds ts (UTC months) unless it exists; the one way partitions are made, by
-- this migration and by the server ahead of time. The advisory lock keeps two servers from racing on the DDL.
create function usage_sample_ensure_partition(ts timestamptz) returns text
language plpgsql as $$
declare
    month_start timestamptz := date_trunc('month', ts at time zone 'UTC') at time zone 'UTC';
    name        text        := 'usage_sample_' || to_char(ts at time zone 'UTC', '"y"YYYY"m"MM');
begin
    perform pg_advisory_xact_lock(hashtext('usage_sample_partitions'));
    if to_regclass(name) is null then
        execute format('create table %I partition of usage_sample for values from (%L) to (%L)',
                       name, month_start, month_start + interval '1 month');
    end if;
    return name;
end $$;

-- Partitions for every month that holds samples, then this month and the next three.
do $$
declare
    m timestamptz;
begin
    for m in select distinct date_trunc('month', sampled_at at time zone 'UTC') at time zone 'UTC' from usage_sample_v1
             union select generate_series(date_trunc('month', now() at time zone 'UTC'),
                                          date_trunc('month', now() at time zone 'UTC') + interval '3 months',
                                          interval '1 month') at time zone 'UTC'
    loop
        perform usage_sample_ensure_partition(m);
    end loop;
end $$;

insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib, license_state,
                          received_at)
select slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib, license_state, received_at
from usage_sample_v1;
drop table usage_sample_v1;

-- Every batch an agent uploaded, by the agent's batch id: a batch sent again is recognised and counted once.
create table usage_batch (
    batch_id      uuid        primary key,
    host_id       bigint      not null references host (id),
    sample_count  integer     not null check (sample_count >= 0),
    received_at   timestamptz not null default now()
);
create index usage_batch_received_idx on usage_batch (received_at);
insert into usage_batch (batch_id, host_id, sample_count, received_at)
select u.batch_id, min(g.host_id), count(*), min(u.received_at)
from usage_sample u join slice s on s.id = u.slice_id join gpu g on g.id = s.gpu_id
group by u.batch_id;

-- One row per slice and UTC hour: allocated seconds (from READY to RELEASED) and the samples' figures, kept up to
-- date as samples arrive, late ones included. Kept when raw samples are dropped.
create table usage_hourly (
    slice_id           bigint      not null references slice (id),
    hour               timestamptz not null check (hour = date_trunc('hour', hour, 'UTC')),
    seconds_allocated  integer     not null default 0 check (seconds_allocated between 0 and 3600),
    sample_count       integer     not null default 0 check (sample_count >= 0),
    utilization_sum    bigint      not null default 0 check (utilization_sum >= 0),
    utilization_peak   smallint    check (utilization_peak between 0 and 100),
    memory_peak_mib    integer     check (memory_peak_mib >= 0),
    constraint usage_hourly_pk primary key (slice_id, hour),
    check ((sample_count = 0) = (utilization_peak is null)),
    check ((sample_count = 0) = (memory_peak_mib is null))
);
create index usage_hourly_hour_idx on usage_hourly (hour);

insert into usage_hourly (slice_id, hour, sample_count, utilization_sum, utilization_peak, memory_peak_mib)
select slice_id, date_trunc('hour', sampled_at, 'UTC'), count(*), sum(gpu_utilization_percent), max(gpu_utilization_percent),
       max(memory_used_mib)
from usage_sample group by 1, 2;

-- How far each periodic metering job has got (e.g. allocated seconds written up to an instant).
create table metering_watermark (
    job         text        primary key,
    done_until  timestamptz not null
);

-- NVIDIA vGPU software license editions. per_gpu: one seat covers a physical GPU, however many slices of the
-- edition run on it (vCS / AI Enterprise is licensed per GPU); the others count one seat per slice (per VM).
create table license_edition (
    code              text    primary key check (code in ('VAPPS', 'VPC', 'VWS', 'VCS')),
    name              text    not null,
    per_gpu           boolean not null,
    -- When no seat is free: refuse the new slice, or admit it without a seat and flag it.
    admission_policy  text    not null default 'REFUSE' check (admission_policy in ('REFUSE', 'ALLOW_UNLICENSED'))
);
insert into license_edition (code, name, per_gpu) values
    ('VAPPS', 'NVIDIA Virtual Applications', false),
    ('VPC',   'NVIDIA Virtual PC', false),
    ('VWS',   'NVIDIA RTX Virtual Workstation', false),
    ('VCS',   'NVIDIA Virtual Compute Server / AI Enterprise', true);

alter table offering add foreign key (license_edition) references license_edition (code);

-- A whole GPU by passthrough runs the guest's own NVIDIA driver; by policy it needs a vWS or a vCS seat (default
-- vCS, the license administrator may switch). Bare MIG instances run no vGPU software and need none.
update offering set license_edition = 'VCS' where kind = 'PASSTHROUGH';
alter table offering add constraint offering_passthrough_edition_check
    check (kind <> 'PASSTHROUGH' or (license_edition is not null and license_edition in ('VWS', 'VCS')));

-- Seats the provider bought: an order of some seats of one edition, valid from an instant until another (exclusive;
-- null: perpetual).
create table license_entitlement (
    id               bigint generated always as identity primary key,
    edition          text        not null references license_edition (code),
    seats            integer     not null check (seats between 1 and 1000000),
    valid_from       timestamptz not null,
    valid_until      timestamptz,
    order_reference  text        not null check (length(order_reference) between 1 and 100),
    notes            text        check (length(notes) <= 2000),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    check (valid_until is null or valid_until >= valid_from)
);
create index license_entitlement_edition_idx on license_entitlement (edition, valid_from);

-- A slice's claim on a seat of its offering's edition, from admission until release, failure or expiry.
-- seat_key names the seat: 'slice:<id>' for per-VM editions, 'gpu:<id>' for per-GPU ones, so that slices sharing a
-- GPU share its seat. holds_seat is false for a slice admitted without a free seat under ALLOW_UNLICENSED (flagged).
create table license_lease (
    id           bigint generated always as identity primary key,
    slice_id     bigint      not null references slice (id),
    edition      text        not null references license_edition (code),
    gpu_id       bigint      references gpu (id),
    seat_key     text        not null check (seat_key ~ '^(slice|gpu):[0-9]+$'),
    holds_seat   boolean     not null,
    acquired_at  timestamptz not null default now(),
    renewed_at   timestamptz not null default now(),
    ended_at     timestamptz,
    end_reason   text        check (end_reason in ('RELEASED', 'FAILED', 'EXPIRED')),
    check ((ended_at is null) = (end_reason is null)),
    check (ended_at is null or ended_at >= acquired_at),
    check (renewed_at >= acquired_at)
);
-- A slice has at most one lease running.
create unique index license_lease_active_slice_idx on license_lease (slice_id) where ended_at is null;
create index license_lease_active_seat_idx on license_lease (edition, seat_key) where ended_at is null;
