package io.vgpuhub.web.inventory;

import java.sql.Types;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the server's picture of a host's GPUs in line with what its agent discovered: identity, the mode the agent
 * found, VFs, and the vGPU types and MIG profiles the driver offers (placement trusts those over the catalog's seed).
 * The mode placement uses ({@code gpu.mode}) is the operator's: a report sets it only for a GPU seen the first time.
 */
@Service
public class HostInventory {

    private static final Logger log = LoggerFactory.getLogger(HostInventory.class);

    /** The names the schema (and so the catalog) can hold; the driver may offer others, which no offering sells. */
    private static final Pattern VGPU_TYPE = Pattern.compile("^[A-Z0-9]+(-[A-Za-z]+)*-[0-9]+[ABQC]$");
    private static final Pattern MIG_PROFILE = Pattern.compile("^[1-8]g\\.[0-9]+gb(\\+me)?$");
    private static final Pattern TYPE_VENDOR_PREFIX = Pattern.compile("^(NVIDIA|GRID)\\s+");
    private static final int MEMORY_SLICES = 8;

    private final JdbcClient jdbc;
    private final HostLiveness liveness;
    private final JsonMapper json;

    HostInventory(JdbcClient jdbc, HostLiveness liveness, JsonMapper json) {
        this.jdbc = jdbc;
        this.liveness = liveness;
        this.json = json;
    }

    /**
     * Records a full inventory report, all of it or nothing. GPUs and VFs are added or updated, never dropped (slices
     * may still refer to them). {@code foreignDevices} are devices on the host its agent did not create.
     *
     * <p>{@code readiness} replaces what the host had; a report without it (null) clears it to "not reported" rather
     * than keeping the last one. The checks describe the host as the agent found it with this inventory: an agent
     * that no longer sends them (rolled back to a version without them) has checked nothing, and an older verdict
     * kept beside a fresh inventory would vouch for a host state nobody checked.
     *
     * @throws GpuClaimedException when a reported GPU is recorded on another host or at another PCI address
     * @throws InventoryRefusedException when the report contradicts itself
     */
    @Transactional
    public void record(long hostId, String agentVersion, List<ReportedGpu> gpus, List<String> foreignDevices,
            ReportedReadiness readiness) {
        checkConsistent(gpus);
        // One report per host at a time (a retried upload must not interleave its replacement of type rows with the
        // first), without locking the host row before its GPUs: placement locks a GPU, then its host.
        jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtext('vgpuhub.inventory'), ?)) locked")
                .param(Math.toIntExact(hostId)).query(Integer.class).single();
        checkNotClaimed(hostId, gpus);
        for (ReportedGpu gpu : gpus) {
            long gpuId = upsert(hostId, gpu);
            for (String vf : gpu.virtualFunctions()) {
                jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?) on conflict do nothing")
                        .params(gpuId, vf).update();
            }
            if (gpu.vgpuTypes() != null) {
                replaceVgpuTypes(gpuId, gpu);
            }
            if (gpu.migProfiles() != null) {
                replaceMigProfiles(gpuId, gpu);
            }
            if (gpu.migInstances() != null) {
                replaceMigInstances(gpuId, gpu);
            }
        }
        // Positional: a named parameter would expand the array into a list, as for "in (...)".
        jdbc.sql("update host set foreign_devices = ?, readiness = cast(? as jsonb), readiness_checked_at = ? where id = ?")
                .param(1, foreignDevices.toArray(String[]::new))
                .param(2, readiness == null ? null : json.writeValueAsString(readiness.checks()), Types.VARCHAR)
                .param(3, readiness == null ? null : readiness.checkedAt().atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE)
                .param(4, hostId).update();
        liveness.heardFrom(hostId, agentVersion);
    }

    private long upsert(long hostId, ReportedGpu gpu) {
        try {
            return jdbc.sql("""
                    insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, mig_capable, sriov,
                                     passthrough_bound)
                    values (:hostId, :pci, :uuid, :model, :memory, :mode, :mode, coalesce(:migCapable, false),
                            coalesce(:sriov, true), :passthroughBound)
                    on conflict (host_id, pci_address) do update
                       set uuid = excluded.uuid, model = excluded.model, memory_mib = excluded.memory_mib,
                           reported_mode = excluded.reported_mode,
                           mig_capable = coalesce(:migCapable, gpu.mig_capable),
                           sriov = coalesce(:sriov, gpu.sriov),
                           passthrough_bound = coalesce(:passthroughBound, gpu.passthrough_bound),
                           updated_at = now()
                    returning id
                    """)
                    .param("hostId", hostId).param("pci", gpu.pciAddress()).param("uuid", gpu.uuid())
                    .param("model", gpu.model()).param("memory", gpu.memoryMib()).param("mode", gpu.mode().name())
                    .param("migCapable", gpu.migCapable(), Types.BOOLEAN)
                    .param("sriov", gpu.sriov(), Types.BOOLEAN)
                    .param("passthroughBound", gpu.passthroughBound(), Types.BOOLEAN)
                    .query(Long.class).single();
        }
        catch (DuplicateKeyException raced) {
            // Another host's report recorded this UUID after our check; the unique key is the judge.
            throw new GpuClaimedException("GPU " + gpu.uuid() + " is recorded on another host");
        }
    }

    private void replaceVgpuTypes(long gpuId, ReportedGpu gpu) {
        jdbc.sql("delete from gpu_vgpu_type where gpu_id = ?").param(gpuId).update();
        Set<String> seen = new HashSet<>();
        for (ReportedGpu.VgpuType type : gpu.vgpuTypes()) {
            String name = TYPE_VENDOR_PREFIX.matcher(type.name().strip()).replaceFirst("");
            if (!VGPU_TYPE.matcher(name).matches()) {
                log.info("GPU {}: vGPU type '{}' has no catalog name; not recorded", gpu.pciAddress(), type.name());
                continue;
            }
            if (!seen.add(name)) {
                throw new InventoryRefusedException("vGPU type " + name + " is reported twice for GPU " + gpu.pciAddress());
            }
            jdbc.sql("insert into gpu_vgpu_type (gpu_id, vgpu_type, framebuffer_mib, max_instances) values (?, ?, ?, ?)")
                    .params(gpuId, name, type.framebufferMib(), type.maxInstances()).update();
        }
    }

    private void replaceMigProfiles(long gpuId, ReportedGpu gpu) {
        jdbc.sql("delete from gpu_mig_profile where gpu_id = ?").param(gpuId).update();
        Set<String> seen = new HashSet<>();
        for (ReportedGpu.MigProfile profile : gpu.migProfiles()) {
            String name = migProfileName(profile.name());
            if (!MIG_PROFILE.matcher(name).matches()) {
                log.info("GPU {}: MIG profile '{}' has no catalog name; not recorded", gpu.pciAddress(), profile.name());
                continue;
            }
            if (!seen.add(name)) {
                throw new InventoryRefusedException("MIG profile " + name + " is reported twice for GPU " + gpu.pciAddress());
            }
            for (int start : profile.startSlots()) {
                if (start + profile.memorySlices() > MEMORY_SLICES) {
                    throw new InventoryRefusedException("MIG profile " + name + " of GPU " + gpu.pciAddress()
                            + " cannot start at memory slice " + start + ": it is " + profile.memorySlices() + " slices long");
                }
            }
            jdbc.sql("""
                    insert into gpu_mig_profile (gpu_id, mig_profile, mig_slices, start_slots, max_instances, memory_mib)
                    values (?, ?, ?, ?, ?, ?)
                    """).params(gpuId, name, profile.memorySlices(), profile.startSlots().toArray(Integer[]::new),
                    profile.maxInstances(), profile.memoryMib()).update();
        }
    }

    private void replaceMigInstances(long gpuId, ReportedGpu gpu) {
        jdbc.sql("delete from gpu_mig_instance where gpu_id = ?").param(gpuId).update();
        for (ReportedGpu.MigInstance instance : gpu.migInstances()) {
            String profile = migProfileName(instance.profile());
            if (!MIG_PROFILE.matcher(profile).matches()) {
                log.info("GPU {}: MIG instance of profile '{}' has no catalog name; not recorded", gpu.pciAddress(),
                        instance.profile());
                continue;
            }
            jdbc.sql("""
                    insert into gpu_mig_instance (gpu_id, mig_profile, start_slot, size, device_uuid) values (?, ?, ?, ?, ?)
                    """).params(gpuId, profile, instance.startSlot(), instance.size(), instance.deviceUuid()).update();
        }
    }

    /** A report that contradicts itself is refused before anything is written. */
    private static void checkConsistent(List<ReportedGpu> gpus) {
        Set<String> addresses = new HashSet<>();
        Set<String> uuids = new HashSet<>();
        Set<String> vfs = new HashSet<>();
        for (ReportedGpu gpu : gpus) {
            if (!addresses.add(gpu.pciAddress())) {
                throw new InventoryRefusedException("PCI address " + gpu.pciAddress() + " is reported for two GPUs");
            }
            if (!uuids.add(gpu.uuid())) {
                throw new InventoryRefusedException("GPU " + gpu.uuid() + " is reported twice");
            }
            for (String vf : gpu.virtualFunctions()) {
                if (!vfs.add(vf)) {
                    throw new InventoryRefusedException("virtual function " + vf + " is reported twice");
                }
            }
            if (gpu.migInstances() != null) {
                boolean[] taken = new boolean[MEMORY_SLICES];
                for (ReportedGpu.MigInstance instance : gpu.migInstances()) {
                    if (instance.startSlot() + instance.size() > MEMORY_SLICES) {
                        throw new InventoryRefusedException("MIG instance at " + instance.startSlot() + " of size "
                                + instance.size() + " on GPU " + gpu.pciAddress() + " reaches past memory slice 7");
                    }
                    for (int slot = instance.startSlot(); slot < instance.startSlot() + instance.size(); slot++) {
                        if (taken[slot]) {
                            throw new InventoryRefusedException("MIG instances on GPU " + gpu.pciAddress()
                                    + " overlap at memory slice " + slot);
                        }
                        taken[slot] = true;
                    }
                }
            }
        }
    }

    /** A GPU belongs to the host (and PCI address) it was first recorded at, until an operator retires it there. */
    private void checkNotClaimed(long hostId, List<ReportedGpu> gpus) {
        if (gpus.isEmpty()) {
            return;
        }
        record Recorded(String uuid, long hostId, String pciAddress) {
        }
        List<Recorded> recorded = jdbc.sql("select uuid, host_id, pci_address from gpu where uuid = any(?)")
                .param(gpus.stream().map(ReportedGpu::uuid).toArray(String[]::new)).query(Recorded.class).list();
        for (Recorded existing : recorded) {
            if (existing.hostId() != hostId) {
                // Which host holds it stays unsaid: a host token learns nothing about other hosts.
                throw new GpuClaimedException("GPU " + existing.uuid() + " is recorded on another host");
            }
            String reportedAt = gpus.stream().filter(g -> g.uuid().equals(existing.uuid())).findFirst().orElseThrow()
                    .pciAddress();
            if (!existing.pciAddress().equals(reportedAt)) {
                throw new GpuClaimedException("GPU " + existing.uuid() + " is recorded at PCI address "
                        + existing.pciAddress() + " of this host, not " + reportedAt);
            }
        }
    }

    private static String migProfileName(String name) {
        String stripped = name.strip();
        return stripped.startsWith("MIG ") ? stripped.substring("MIG ".length()) : stripped;
    }
}
