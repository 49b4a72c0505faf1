-- What a host's agent reports beyond modes and types (the MIG layout it found, whether a GPU is bound for
-- passthrough), and the cleanup of released FAILED slices.

-- The agent's last word on whether the GPU is bound to vfio-pci for passthrough (null: its agent does not say).
alter table gpu add column passthrough_bound boolean;

-- The MIG GPU instances the agent found on a GPU, whoever made them: the operator sees the real layout beside the
-- slices. Replaced with every inventory report that carries a layout.
create table gpu_mig_instance (
    gpu_id       bigint  not null references gpu (id) on delete cascade,
    mig_profile  text    not null check (mig_profile ~ '^[1-8]g\.[0-9]+gb(\+me)?$'),
    start_slot   integer not null check (start_slot between 0 and 7),
    size         integer not null check (size between 1 and 8),
    -- The MIG device a VM or container attaches; null while the instance has no compute instance.
    device_uuid  text    check (device_uuid ~ '^MIG-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    check (start_slot + size <= 8),
    primary key (gpu_id, start_slot)
);

-- A FAILED slice released after its host had been sent it: the first generation of the host's desired state that
-- the release produced. The agent reports ABSENT only for devices it recorded; one that made nothing for the slice
-- stays silent, so once the agent asks for a state after this generation (it has reconciled without the slice) and
-- the slice is still RELEASING, nothing of it is left on the host.
alter table slice add column cleanup_generation bigint check (cleanup_generation > 1);
