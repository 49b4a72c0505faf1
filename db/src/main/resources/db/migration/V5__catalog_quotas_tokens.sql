-- The full catalog (time-sliced vGPU, MIG, passthrough), what the agent discovered per GPU, tenant quotas,
-- API tokens, per-user language, and the operators' audit trail.

-- ---------------------------------------------------------------------------------------------------------
-- Offerings: MIG profile geometry, list price, description, visibility per tenant.
-- ---------------------------------------------------------------------------------------------------------
alter table offering
    -- The GPU-instance profile as nvidia-smi prints it (1g.10gb, 1g.5gb+me); the agent creates exactly this.
    add column mig_profile       text check (mig_profile ~ '^[1-8]g\.[0-9]+gb(\+me)?$'),
    -- The memory slices the profile may start at (nvidia-smi mig -lgipp); placement picks one of them.
    add column mig_start_slots   integer[] check (mig_start_slots is null or
                                     (cardinality(mig_start_slots) between 1 and 8 and 0 <= all (mig_start_slots)
                                      and 7 >= all (mig_start_slots))),
    -- List price per allocated hour in the provider's currency, shown in the catalog (finance's rate cards rule bills).
    add column price_per_hour    numeric(12, 4) not null default 0 check (price_per_hour >= 0),
    add column description       text check (length(description) <= 500);

alter table offering add constraint offering_mig_geometry check
    ((kind = 'MIG') = (mig_profile is not null and mig_start_slots is not null));

-- When an offering has rows here, only these tenants see it; without rows every tenant does.
create table offering_tenant (
    offering_id  bigint not null references offering (id) on delete cascade,
    tenant_id    bigint not null references tenant (id) on delete cascade,
    primary key (offering_id, tenant_id)
);

-- More time-sliced profiles of the A40 (A-series for app streaming, sizes the V2 set lacked).
insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition) values
    ('A40-3Q',  'VGPU', 'A40', 'A40-3Q',   3072, 16, 'VWS'),
    ('A40-6Q',  'VGPU', 'A40', 'A40-6Q',   6144,  8, 'VWS'),
    ('A40-6C',  'VGPU', 'A40', 'A40-6C',   6144,  8, 'VCS'),
    ('A40-12C', 'VGPU', 'A40', 'A40-12C', 12288,  4, 'VCS'),
    ('A40-2A',  'VGPU', 'A40', 'A40-2A',   2048, 24, 'VAPPS'),
    ('A40-4A',  'VGPU', 'A40', 'A40-4A',   4096, 12, 'VAPPS'),
    ('A40-8A',  'VGPU', 'A40', 'A40-8A',   8192,  6, 'VAPPS');

-- A10 (24 GB GA102, SR-IOV). C from the AI Enterprise tables; Q/B/A by the driver's floor(24 GB / FB) rule.
insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition) values
    ('A10-1B',  'VGPU', 'A10', 'A10-1B',   1024, 24, 'VPC'),
    ('A10-2B',  'VGPU', 'A10', 'A10-2B',   2048, 12, 'VPC'),
    ('A10-1Q',  'VGPU', 'A10', 'A10-1Q',   1024, 24, 'VWS'),
    ('A10-2Q',  'VGPU', 'A10', 'A10-2Q',   2048, 12, 'VWS'),
    ('A10-3Q',  'VGPU', 'A10', 'A10-3Q',   3072,  8, 'VWS'),
    ('A10-4Q',  'VGPU', 'A10', 'A10-4Q',   4096,  6, 'VWS'),
    ('A10-6Q',  'VGPU', 'A10', 'A10-6Q',   6144,  4, 'VWS'),
    ('A10-8Q',  'VGPU', 'A10', 'A10-8Q',   8192,  3, 'VWS'),
    ('A10-12Q', 'VGPU', 'A10', 'A10-12Q', 12288,  2, 'VWS'),
    ('A10-24Q', 'VGPU', 'A10', 'A10-24Q', 24576,  1, 'VWS'),
    ('A10-2A',  'VGPU', 'A10', 'A10-2A',   2048, 12, 'VAPPS'),
    ('A10-4A',  'VGPU', 'A10', 'A10-4A',   4096,  6, 'VAPPS'),
    ('A10-4C',  'VGPU', 'A10', 'A10-4C',   4096,  6, 'VCS'),
    ('A10-6C',  'VGPU', 'A10', 'A10-6C',   6144,  4, 'VCS'),
    ('A10-8C',  'VGPU', 'A10', 'A10-8C',   8192,  3, 'VCS'),
    ('A10-12C', 'VGPU', 'A10', 'A10-12C', 12288,  2, 'VCS'),
    ('A10-24C', 'VGPU', 'A10', 'A10-24C', 24576,  1, 'VCS');

-- L40S (48 GB AD102, SR-IOV). C from the AI Enterprise tables; Q/B with the 32-vGPU cap seen on 48 GB boards
-- (third-party docs claim 48 x 1Q; the agent's discovery overrides the seed when the driver says otherwise).
insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition) values
    ('L40S-1B',  'VGPU', 'L40S', 'L40S-1B',   1024, 32, 'VPC'),
    ('L40S-2B',  'VGPU', 'L40S', 'L40S-2B',   2048, 24, 'VPC'),
    ('L40S-1Q',  'VGPU', 'L40S', 'L40S-1Q',   1024, 32, 'VWS'),
    ('L40S-2Q',  'VGPU', 'L40S', 'L40S-2Q',   2048, 24, 'VWS'),
    ('L40S-4Q',  'VGPU', 'L40S', 'L40S-4Q',   4096, 12, 'VWS'),
    ('L40S-6Q',  'VGPU', 'L40S', 'L40S-6Q',   6144,  8, 'VWS'),
    ('L40S-8Q',  'VGPU', 'L40S', 'L40S-8Q',   8192,  6, 'VWS'),
    ('L40S-12Q', 'VGPU', 'L40S', 'L40S-12Q', 12288,  4, 'VWS'),
    ('L40S-16Q', 'VGPU', 'L40S', 'L40S-16Q', 16384,  3, 'VWS'),
    ('L40S-24Q', 'VGPU', 'L40S', 'L40S-24Q', 24576,  2, 'VWS'),
    ('L40S-48Q', 'VGPU', 'L40S', 'L40S-48Q', 49152,  1, 'VWS'),
    ('L40S-4C',  'VGPU', 'L40S', 'L40S-4C',   4096, 12, 'VCS'),
    ('L40S-6C',  'VGPU', 'L40S', 'L40S-6C',   6144,  8, 'VCS'),
    ('L40S-8C',  'VGPU', 'L40S', 'L40S-8C',   8192,  6, 'VCS'),
    ('L40S-12C', 'VGPU', 'L40S', 'L40S-12C', 12288,  4, 'VCS'),
    ('L40S-16C', 'VGPU', 'L40S', 'L40S-16C', 16384,  3, 'VCS'),
    ('L40S-24C', 'VGPU', 'L40S', 'L40S-24C', 24576,  2, 'VCS'),
    ('L40S-48C', 'VGPU', 'L40S', 'L40S-48C', 49152,  1, 'VCS');

-- A16 (four 16 GB GPUs per board; each GPU is its own row). Floor(16 GB / FB).
insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition) values
    ('A16-1B',  'VGPU', 'A16', 'A16-1B',   1024, 16, 'VPC'),
    ('A16-2B',  'VGPU', 'A16', 'A16-2B',   2048,  8, 'VPC'),
    ('A16-1Q',  'VGPU', 'A16', 'A16-1Q',   1024, 16, 'VWS'),
    ('A16-2Q',  'VGPU', 'A16', 'A16-2Q',   2048,  8, 'VWS'),
    ('A16-4Q',  'VGPU', 'A16', 'A16-4Q',   4096,  4, 'VWS'),
    ('A16-8Q',  'VGPU', 'A16', 'A16-8Q',   8192,  2, 'VWS'),
    ('A16-16Q', 'VGPU', 'A16', 'A16-16Q', 16384,  1, 'VWS'),
    ('A16-2A',  'VGPU', 'A16', 'A16-2A',   2048,  8, 'VAPPS'),
    ('A16-4C',  'VGPU', 'A16', 'A16-4C',   4096,  4, 'VCS'),
    ('A16-8C',  'VGPU', 'A16', 'A16-8C',   8192,  2, 'VCS'),
    ('A16-16C', 'VGPU', 'A16', 'A16-16C', 16384,  1, 'VCS');

-- T4 (16 GB Turing): no SR-IOV, so its vGPUs sit on the GPU itself, and no mixed-size mode. C from AIE tables.
insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition) values
    ('T4-1B',  'VGPU', 'T4', 'T4-1B',   1024, 16, 'VPC'),
    ('T4-2B',  'VGPU', 'T4', 'T4-2B',   2048,  8, 'VPC'),
    ('T4-1Q',  'VGPU', 'T4', 'T4-1Q',   1024, 16, 'VWS'),
    ('T4-2Q',  'VGPU', 'T4', 'T4-2Q',   2048,  8, 'VWS'),
    ('T4-4Q',  'VGPU', 'T4', 'T4-4Q',   4096,  4, 'VWS'),
    ('T4-8Q',  'VGPU', 'T4', 'T4-8Q',   8192,  2, 'VWS'),
    ('T4-16Q', 'VGPU', 'T4', 'T4-16Q', 16384,  1, 'VWS'),
    ('T4-4C',  'VGPU', 'T4', 'T4-4C',   4096,  4, 'VCS'),
    ('T4-8C',  'VGPU', 'T4', 'T4-8C',   8192,  2, 'VCS'),
    ('T4-16C', 'VGPU', 'T4', 'T4-16C', 16384,  1, 'VCS');

-- MIG GPU-instance profiles (MIG user guide tables, memory as nvidia-smi -lgip reports it on R5xx drivers).
-- mig_slices is the placement size in memory slices; starts are the -lgipp placement lists. A bare MIG
-- instance is not a vGPU, so it needs no vGPU software license seat.
insert into offering (code, kind, gpu_model, mig_profile, mig_slices, mig_start_slots, framebuffer_mib,
                      max_instances_per_gpu) values
    ('A100-40GB 1g.5gb',     'MIG', 'A100-40GB', '1g.5gb',     1, '{0,1,2,3,4,5,6}',  4864, 7),
    ('A100-40GB 1g.5gb+me',  'MIG', 'A100-40GB', '1g.5gb+me',  1, '{0,1,2,3,4,5,6}',  4864, 1),
    ('A100-40GB 1g.10gb',    'MIG', 'A100-40GB', '1g.10gb',    2, '{0,2,4,6}',        9856, 4),
    ('A100-40GB 2g.10gb',    'MIG', 'A100-40GB', '2g.10gb',    2, '{0,2,4}',          9856, 3),
    ('A100-40GB 3g.20gb',    'MIG', 'A100-40GB', '3g.20gb',    4, '{0,4}',           19968, 2),
    ('A100-40GB 4g.20gb',    'MIG', 'A100-40GB', '4g.20gb',    4, '{0}',             19968, 1),
    ('A100-40GB 7g.40gb',    'MIG', 'A100-40GB', '7g.40gb',    8, '{0}',             40192, 1),
    ('A100-80GB 1g.10gb',    'MIG', 'A100-80GB', '1g.10gb',    1, '{0,1,2,3,4,5,6}',  9856, 7),
    ('A100-80GB 1g.10gb+me', 'MIG', 'A100-80GB', '1g.10gb+me', 1, '{0,1,2,3,4,5,6}',  9856, 1),
    ('A100-80GB 1g.20gb',    'MIG', 'A100-80GB', '1g.20gb',    2, '{0,2,4,6}',       19968, 4),
    ('A100-80GB 2g.20gb',    'MIG', 'A100-80GB', '2g.20gb',    2, '{0,2,4}',         19968, 3),
    ('A100-80GB 3g.40gb',    'MIG', 'A100-80GB', '3g.40gb',    4, '{0,4}',           40192, 2),
    ('A100-80GB 4g.40gb',    'MIG', 'A100-80GB', '4g.40gb',    4, '{0}',             40192, 1),
    ('A100-80GB 7g.80gb',    'MIG', 'A100-80GB', '7g.80gb',    8, '{0}',             80384, 1),
    ('H100-80GB 1g.10gb',    'MIG', 'H100-80GB', '1g.10gb',    1, '{0,1,2,3,4,5,6}',  9984, 7),
    ('H100-80GB 1g.10gb+me', 'MIG', 'H100-80GB', '1g.10gb+me', 1, '{0,1,2,3,4,5,6}',  9984, 1),
    ('H100-80GB 1g.20gb',    'MIG', 'H100-80GB', '1g.20gb',    2, '{0,2,4,6}',       20091, 4),
    ('H100-80GB 2g.20gb',    'MIG', 'H100-80GB', '2g.20gb',    2, '{0,2,4}',         20091, 3),
    ('H100-80GB 3g.40gb',    'MIG', 'H100-80GB', '3g.40gb',    4, '{0,4}',           40448, 2),
    ('H100-80GB 4g.40gb',    'MIG', 'H100-80GB', '4g.40gb',    4, '{0}',             40448, 1),
    ('H100-80GB 7g.80gb',    'MIG', 'H100-80GB', '7g.80gb',    8, '{0}',             81152, 1),
    -- The A30 has 4 memory slices; placements never reach past slot 3.
    ('A30 1g.6gb',           'MIG', 'A30',       '1g.6gb',     1, '{0,1,2,3}',        5949, 4),
    ('A30 1g.6gb+me',        'MIG', 'A30',       '1g.6gb+me',  1, '{0,1,2,3}',        5949, 1),
    ('A30 2g.12gb',          'MIG', 'A30',       '2g.12gb',    2, '{0,2}',           11971, 2),
    ('A30 2g.12gb+me',       'MIG', 'A30',       '2g.12gb+me', 2, '{0,2}',           11971, 1),
    ('A30 4g.24gb',          'MIG', 'A30',       '4g.24gb',    4, '{0}',             24003, 1);

-- Whole GPUs by passthrough (vfio-pci); no vGPU software runs, so no license seat.
insert into offering (code, kind, gpu_model, framebuffer_mib, max_instances_per_gpu) values
    ('A40 whole GPU',       'PASSTHROUGH', 'A40',       46068, 1),
    ('A10 whole GPU',       'PASSTHROUGH', 'A10',       23028, 1),
    ('L40S whole GPU',      'PASSTHROUGH', 'L40S',      46068, 1),
    ('A16 whole GPU',       'PASSTHROUGH', 'A16',       15356, 1),
    ('T4 whole GPU',        'PASSTHROUGH', 'T4',        15360, 1),
    ('A100-40GB whole GPU', 'PASSTHROUGH', 'A100-40GB', 40960, 1),
    ('A100-80GB whole GPU', 'PASSTHROUGH', 'A100-80GB', 81920, 1),
    ('H100-80GB whole GPU', 'PASSTHROUGH', 'H100-80GB', 81559, 1),
    ('A30 whole GPU',       'PASSTHROUGH', 'A30',       24576, 1);

-- List prices: a whole GPU's hourly price shared out by the part of it a slice takes (framebuffer for vGPU,
-- memory slices for MIG), rounded to a tenth of a cent.
with board (gpu_model, whole_gpu_per_hour, memory_slices) as (values
        ('A40', 1.40, 8), ('A10', 0.90, 8), ('L40S', 1.90, 8), ('A16', 0.50, 8), ('T4', 0.40, 8),
        ('A100-40GB', 2.20, 8), ('A100-80GB', 2.80, 8), ('H100-80GB', 4.50, 8), ('A30', 1.20, 4))
update offering o set price_per_hour = round(case o.kind
        when 'PASSTHROUGH' then b.whole_gpu_per_hour
        when 'MIG' then b.whole_gpu_per_hour * o.mig_slices / b.memory_slices
        else b.whole_gpu_per_hour / o.max_instances_per_gpu * case when o.vgpu_type ~ 'Q$' then 1.1 else 1 end
    end, 3)
from board b where b.gpu_model = o.gpu_model;

-- ---------------------------------------------------------------------------------------------------------
-- Hosts and GPUs: what the agent reports beside what the operator decided.
-- ---------------------------------------------------------------------------------------------------------
alter table host add column agent_version text check (length(agent_version) <= 64);

-- gpu.mode is the mode the operator wants (placement trusts it); reported_mode is what the agent last saw.
alter table gpu
    add column reported_mode  text check (reported_mode in ('VGPU', 'MIG', 'PASSTHROUGH')),
    add column mig_capable    boolean not null default false,
    -- A GPU without SR-IOV (T4) carries its vGPUs itself; others need a free VF per vGPU.
    add column sriov          boolean not null default true;
update gpu set reported_mode = mode;

-- The vGPU types the driver offers on a GPU, with the max instances it reports: placement trusts these over the seed.
create table gpu_vgpu_type (
    gpu_id           bigint  not null references gpu (id) on delete cascade,
    vgpu_type        text    not null check (vgpu_type ~ '^[A-Z0-9]+(-[A-Za-z]+)*-[0-9]+[ABQC]$'),
    framebuffer_mib  integer not null check (framebuffer_mib > 0),
    max_instances    integer not null check (max_instances between 0 and 64),
    primary key (gpu_id, vgpu_type)
);

-- The MIG GPU-instance profiles the driver offers on a GPU (only on MIG-capable GPUs).
create table gpu_mig_profile (
    gpu_id         bigint    not null references gpu (id) on delete cascade,
    mig_profile    text      not null check (mig_profile ~ '^[1-8]g\.[0-9]+gb(\+me)?$'),
    mig_slices     integer   not null check (mig_slices between 1 and 8),
    start_slots    integer[] not null check (cardinality(start_slots) between 1 and 8),
    max_instances  integer   not null check (max_instances between 0 and 8),
    memory_mib     integer   not null check (memory_mib > 0),
    primary key (gpu_id, mig_profile)
);

-- ---------------------------------------------------------------------------------------------------------
-- Slices: T4-style vGPUs without a VF, the MIG device UUID the tenant attaches.
-- ---------------------------------------------------------------------------------------------------------
alter table slice drop constraint slice_check3;
alter table slice add column device_uuid text check (device_uuid ~ '^MIG-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');

create or replace function slice_gpu_mode_check() returns trigger language plpgsql as $$
declare
    target gpu%rowtype;
begin
    if new.gpu_id is not null and new.state <> 'RELEASED' then
        -- for share: serialises with a concurrent mode change of the same GPU (see gpu_mode_change_check).
        select * into target from gpu where id = new.gpu_id for share;
        if target.mode <> new.kind then
            raise exception 'a % slice cannot sit on a GPU in % mode', new.kind, target.mode using errcode = '23514';
        end if;
        if new.kind = 'VGPU' and target.sriov and new.vf_id is null then
            raise exception 'a vGPU on SR-IOV GPU % needs a virtual function', target.pci_address using errcode = '23514';
        end if;
    end if;
    return new;
end $$;

-- ---------------------------------------------------------------------------------------------------------
-- Tenants: quotas, users' language, API tokens.
-- ---------------------------------------------------------------------------------------------------------
alter table tenant
    -- null: no limit.
    add column quota_max_slices          integer check (quota_max_slices >= 0),
    add column quota_max_framebuffer_mib bigint  check (quota_max_framebuffer_mib >= 0);

alter table app_user add column locale text check (locale in ('en', 'zh-CN'));

create table api_token (
    id            bigint generated always as identity primary key,
    tenant_id     bigint      not null references tenant (id),
    created_by    bigint      not null,
    name          text        not null check (length(trim(name)) between 1 and 100),
    -- SHA-256 (hex) of the token; the token is shown once and never stored.
    token_hash    text        not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    -- The first characters of the token, so a tenant can tell tokens apart.
    token_prefix  text        not null check (length(token_prefix) between 4 and 16),
    created_at    timestamptz not null default now(),
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    foreign key (created_by, tenant_id) references app_user (id, tenant_id),
    unique (tenant_id, name)
);

-- ---------------------------------------------------------------------------------------------------------
-- Operator actions (drain, mode change, offering changes, token and user changes): the audit trail beside
-- slice_event. Never updated.
-- ---------------------------------------------------------------------------------------------------------
create table audit_event (
    id         bigint generated always as identity primary key,
    at         timestamptz not null default now(),
    actor      text        not null check (length(actor) between 1 and 200),
    tenant_id  bigint      references tenant (id),
    action     text        not null check (action ~ '^[a-z]+(\.[a-z-]+)+$'),
    target     text        not null check (length(target) between 1 and 200),
    detail     text        check (length(detail) <= 2000)
);
create index audit_event_at_idx on audit_event (at desc);
