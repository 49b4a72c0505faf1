-- Time-sliced vGPU profiles of the NVIDIA A40 (48 GB, SR-IOV). Framebuffer and max instances per GPU in
-- equal-size mode follow NVIDIA's published tables (see shared/reference: A40 Q/B from the GA102 48 GB set,
-- C from the AI Enterprise tables). The profile's series letter decides the license edition.
insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition) values
    ('A40-1B',  'VGPU', 'A40', 'A40-1B',   1024, 32, 'VPC'),
    ('A40-2B',  'VGPU', 'A40', 'A40-2B',   2048, 24, 'VPC'),
    ('A40-1Q',  'VGPU', 'A40', 'A40-1Q',   1024, 32, 'VWS'),
    ('A40-2Q',  'VGPU', 'A40', 'A40-2Q',   2048, 24, 'VWS'),
    ('A40-4Q',  'VGPU', 'A40', 'A40-4Q',   4096, 12, 'VWS'),
    ('A40-8Q',  'VGPU', 'A40', 'A40-8Q',   8192,  6, 'VWS'),
    ('A40-12Q', 'VGPU', 'A40', 'A40-12Q', 12288,  4, 'VWS'),
    ('A40-16Q', 'VGPU', 'A40', 'A40-16Q', 16384,  3, 'VWS'),
    ('A40-24Q', 'VGPU', 'A40', 'A40-24Q', 24576,  2, 'VWS'),
    ('A40-48Q', 'VGPU', 'A40', 'A40-48Q', 49152,  1, 'VWS'),
    ('A40-4C',  'VGPU', 'A40', 'A40-4C',   4096, 12, 'VCS'),
    ('A40-8C',  'VGPU', 'A40', 'A40-8C',   8192,  6, 'VCS'),
    ('A40-16C', 'VGPU', 'A40', 'A40-16C', 16384,  3, 'VCS'),
    ('A40-24C', 'VGPU', 'A40', 'A40-24C', 24576,  2, 'VCS'),
    ('A40-48C', 'VGPU', 'A40', 'A40-48C', 49152,  1, 'VCS');
