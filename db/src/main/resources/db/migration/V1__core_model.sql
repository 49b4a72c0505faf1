-- vGPU Hub core model: who may ask for slices, what hardware exists, what is offered, and which slices live where.
-- The constraints below are the last line of defence against double booking: placement code may be wrong,
-- the database may not.

-- Lets exclusion constraints mix equality on ids with range overlap (MIG slots) or inequality (one type per GPU).
create extension if not exists btree_gist;

create table tenant (
    id          bigint generated always as identity primary key,
    name        text        not null unique check (length(trim(name)) between 1 and 100),
    created_at  timestamptz not null default now()
);

create table app_user (
    id             bigint generated always as identity primary key,
    tenant_id      bigint references tenant (id),
    username       text        not null unique check (username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
    display_name   text        not null check (length(trim(display_name)) between 1 and 100),
    password_hash  text        not null check (length(password_hash) >= 20),
    enabled        boolean     not null default true,
    created_at     timestamptz not null default now(),
    unique (id, tenant_id)
);

create table user_role (
    user_id  bigint not null references app_user (id) on delete cascade,
    role     text   not null check (role in ('TENANT_USER', 'TENANT_ADMIN', 'OPERATOR', 'FINANCE', 'LICENSE_ADMIN')),
    primary key (user_id, role)
);

-- Tenant roles only make sense for a user who belongs to a tenant.
create function user_role_tenant_check() returns trigger language plpgsql as $$
begin
    -- for share: a concurrent update of the user's tenant must wait for this decision, not slip past it.
    if new.role in ('TENANT_USER', 'TENANT_ADMIN')
       and (select tenant_id from app_user where id = new.user_id for share) is null then
        raise exception 'role % needs a user that belongs to a tenant', new.role using errcode = '23514';
    end if;
    return new;
end $$;
create trigger user_role_tenant_check before insert or update on user_role
    for each row execute function user_role_tenant_check();

create function app_user_tenant_check() returns trigger language plpgsql as $$
begin
    if new.tenant_id is null and exists (select 1 from user_role where user_id = new.id
                                          and role in ('TENANT_USER', 'TENANT_ADMIN')) then
        raise exception 'user % has tenant roles and cannot leave its tenant', new.username using errcode = '23514';
    end if;
    return new;
end $$;
create trigger app_user_tenant_check before update of tenant_id on app_user
    for each row execute function app_user_tenant_check();

create table host (
    id                  bigint generated always as identity primary key,
    name                text        not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$'),
    -- SHA-256 (hex) of the agent's bearer token; the token itself is never stored.
    agent_token_hash    text        not null unique check (agent_token_hash ~ '^[0-9a-f]{64}$'),
    state               text        not null default 'OFFLINE' check (state in ('ONLINE', 'OFFLINE', 'DRAINING')),
    last_seen_at        timestamptz,
    desired_generation  bigint      not null default 1 check (desired_generation > 0),
    created_at          timestamptz not null default now()
);

create table gpu (
    id           bigint generated always as identity primary key,
    host_id      bigint not null references host (id),
    pci_address  text   not null check (pci_address ~ '^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$'),
    uuid         text   not null unique check (uuid ~ '^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    model        text   not null check (length(model) between 1 and 64),
    memory_mib   integer not null check (memory_mib > 0),
    mode         text   not null check (mode in ('VGPU', 'MIG', 'PASSTHROUGH')),
    updated_at   timestamptz not null default now(),
    unique (host_id, pci_address)
);

-- SR-IOV virtual functions of a GPU; a time-sliced vGPU sits on exactly one of them.
create table virtual_function (
    id           bigint generated always as identity primary key,
    gpu_id       bigint not null references gpu (id) on delete cascade,
    pci_address  text   not null check (pci_address ~ '^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$'),
    unique (gpu_id, pci_address),
    unique (id, gpu_id)
);

create table offering (
    id                     bigint generated always as identity primary key,
    code                   text    not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,63}$'),
    kind                   text    not null check (kind in ('VGPU', 'MIG', 'PASSTHROUGH')),
    gpu_model              text    not null check (length(gpu_model) between 1 and 64),
    -- The vGPU type as NVIDIA names it (e.g. A40-8Q); the agent matches it against the last token of the mdev type name.
    vgpu_type              text    check (vgpu_type ~ '^[A-Z0-9]+(-[A-Za-z]+)*-[0-9]+[ABQC]$'),
    framebuffer_mib        integer not null check (framebuffer_mib > 0),
    max_instances_per_gpu  integer not null check (max_instances_per_gpu between 1 and 64),
    mig_slices             integer check (mig_slices between 1 and 8),
    license_edition        text    check (license_edition in ('VAPPS', 'VPC', 'VWS', 'VCS')),
    enabled                boolean not null default true,
    check ((kind = 'VGPU') = (vgpu_type is not null)),
    check ((kind = 'MIG') = (mig_slices is not null)),
    check (kind <> 'PASSTHROUGH' or max_instances_per_gpu = 1),
    unique (id, kind)
);

create table slice (
    id               bigint generated always as identity primary key,
    -- Also the mdev UUID the agent creates, so an operator can find the slice from the host side.
    uuid             uuid        not null unique,
    tenant_id        bigint      not null references tenant (id),
    requested_by     bigint      not null references app_user (id),
    offering_id      bigint      not null,
    kind             text        not null,
    vm_name          text        not null check (vm_name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    state            text        not null check (state in
                         ('REQUESTED', 'PLACED', 'PROVISIONING', 'READY', 'RELEASING', 'RELEASED', 'FAILED')),
    gpu_id           bigint      references gpu (id),
    vf_id            bigint,
    mig_start_slot   integer     check (mig_start_slot between 0 and 7),
    mig_size         integer     check (mig_size between 1 and 8),
    failure_reason   text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    ready_at         timestamptz,
    released_at      timestamptz,
    -- kind is a copy of the offering's kind so the constraints below can see it; the foreign key keeps it honest.
    foreign key (offering_id, kind) references offering (id, kind),
    foreign key (vf_id, gpu_id) references virtual_function (id, gpu_id),
    -- Without its GPU a VF would escape the key above (match simple skips rows with a null column) and block the VF.
    check (vf_id is null or gpu_id is not null),
    -- Whoever requested the slice belongs to its tenant.
    foreign key (requested_by, tenant_id) references app_user (id, tenant_id),
    check (state in ('REQUESTED', 'FAILED', 'RELEASED') or gpu_id is not null),
    check (state <> 'REQUESTED' or gpu_id is null),
    check (kind <> 'VGPU' or gpu_id is null or vf_id is not null),
    check (kind = 'VGPU' or vf_id is null),
    check ((kind = 'MIG' and gpu_id is not null) = (mig_start_slot is not null and mig_size is not null)),
    check (mig_start_slot is null or mig_start_slot + mig_size <= 8),
    check (state <> 'FAILED' or failure_reason is not null),
    check ((state = 'RELEASED') = (released_at is not null)),
    -- A VF carries at most one live slice.
    exclude using gist (vf_id with =) where (state <> 'RELEASED' and vf_id is not null),
    -- MIG placements on one GPU never overlap.
    exclude using gist (gpu_id with =, int4range(mig_start_slot, mig_start_slot + mig_size) with &&)
        where (state <> 'RELEASED' and kind = 'MIG'),
    -- A passthrough GPU holds exactly one live slice.
    exclude using gist (gpu_id with =) where (state <> 'RELEASED' and kind = 'PASSTHROUGH'),
    -- Equal-size mode: one vGPU type per physical GPU at a time.
    exclude using gist (gpu_id with =, offering_id with <>) where (state <> 'RELEASED' and kind = 'VGPU')
);

create index slice_tenant_idx on slice (tenant_id, created_at desc);
create index slice_gpu_live_idx on slice (gpu_id) where state <> 'RELEASED';

-- The audit trail: one row per state transition, never updated.
create table slice_event (
    id          bigint generated always as identity primary key,
    slice_id    bigint      not null references slice (id),
    at          timestamptz not null default now(),
    from_state  text check (from_state in
                    ('REQUESTED', 'PLACED', 'PROVISIONING', 'READY', 'RELEASING', 'RELEASED', 'FAILED')),
    to_state    text not null check (to_state in
                    ('REQUESTED', 'PLACED', 'PROVISIONING', 'READY', 'RELEASING', 'RELEASED', 'FAILED')),
    actor       text not null check (length(actor) between 1 and 200),
    reason      text
);
create index slice_event_slice_idx on slice_event (slice_id, at);

-- A live slice sits on a GPU that is in the slice's mode.
create function slice_gpu_mode_check() returns trigger language plpgsql as $$
declare
    gpu_mode text;
begin
    if new.gpu_id is not null and new.state <> 'RELEASED' then
        -- for share: serialises with a concurrent mode change of the same GPU (see gpu_mode_change_check).
        select mode into gpu_mode from gpu where id = new.gpu_id for share;
        if gpu_mode <> new.kind then
            raise exception 'a % slice cannot sit on a GPU in % mode', new.kind, gpu_mode using errcode = '23514';
        end if;
    end if;
    return new;
end $$;
create trigger slice_gpu_mode_check before insert or update of gpu_id, kind, state on slice
    for each row execute function slice_gpu_mode_check();

-- A GPU's mode changes only while it holds no live slice.
create function gpu_mode_change_check() returns trigger language plpgsql as $$
begin
    if new.mode <> old.mode and exists (select 1 from slice where gpu_id = old.id and state <> 'RELEASED') then
        raise exception 'GPU % holds live slices; its mode cannot change from % to %', old.pci_address, old.mode, new.mode
            using errcode = '23514';
    end if;
    return new;
end $$;
create trigger gpu_mode_change_check before update of mode on gpu
    for each row execute function gpu_mode_change_check();

-- Usage samples as the agent reports them; metering owns these rows.
create table usage_sample (
    id                       bigint generated always as identity primary key,
    slice_id                 bigint      not null references slice (id),
    batch_id                 uuid        not null,
    sampled_at               timestamptz not null,
    gpu_utilization_percent  smallint    not null check (gpu_utilization_percent between 0 and 100),
    memory_used_mib          integer     not null check (memory_used_mib >= 0),
    received_at              timestamptz not null default now(),
    unique (slice_id, sampled_at)
);
create index usage_sample_slice_idx on usage_sample (slice_id, sampled_at desc);
