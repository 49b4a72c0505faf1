-- Devices the host's agent found but did not create (an operator's mdev, a VF typed by hand). The agent never
-- removes them; the operator sees them beside the host.
alter table host add column foreign_devices text[] not null default '{}'
    check (cardinality(foreign_devices) <= 256);
