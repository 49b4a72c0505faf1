-- The guest's vGPU license state as NVML reported it with each sample (null: the agent had no vGPU to ask).
alter table usage_sample add column license_state text check (license_state in
    ('UNKNOWN', 'UNINITIALIZED', 'UNLICENSED_UNRESTRICTED', 'UNLICENSED_RESTRICTED', 'UNLICENSED', 'LICENSED',
     'NO_GUEST_DRIVER'));
