package io.vgpuhub.web.operator;

import java.util.List;
import java.util.Locale;

import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.HostGenerations;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sets the mode an operator wants a GPU in. The agent learns it from the host's next desired state and switches
 * the hardware; placement trusts the new mode at once. A GPU that holds a live slice keeps its mode: the schema's
 * trigger (gpu_mode_change_check) refuses the change, and that refusal is what the operator sees.
 */
@Component
class GpuModes {

    static final List<String> MODES = List.of("VGPU", "MIG", "PASSTHROUGH");

    private final JdbcClient jdbc;
    private final GpuMap gpus;
    private final AuditLog audit;
    private final HostGenerations generations;

    GpuModes(JdbcClient jdbc, GpuMap gpus, AuditLog audit, HostGenerations generations) {
        this.jdbc = jdbc;
        this.gpus = gpus;
        this.audit = audit;
        this.generations = generations;
    }

    /** What the change did: the GPU's label, its mode before and after. */
    record Outcome(String gpu, String from, String to) {

        boolean changed() {
            return !from.equals(to);
        }
    }

    /** @throws RefusedException when the mode is unknown, unsupported, or the GPU is busy; nothing changes then */
    @Transactional
    Outcome change(PortalUser who, long gpuId, String requested) {
        // Lock first: no slice can be placed on the GPU (its insert trigger reads the row "for share") meanwhile. An
        // unknown GPU is a 404 whatever the form says, not a notice about the mode of a GPU that does not exist.
        jdbc.sql("select id from gpu where id = ? for update").param(gpuId).query(Long.class).optional()
                .orElseThrow(() -> new UnknownItemException("operator.gpus.unknown", String.valueOf(gpuId)));
        String mode = requested == null ? "" : requested.strip().toUpperCase(Locale.ROOT);
        if (mode.isEmpty()) {
            throw new RefusedException("operator.gpus.mode.missing");
        }
        if (!MODES.contains(mode)) {
            throw new RefusedException("operator.gpus.mode.unknown", String.valueOf(requested));
        }
        GpuCard gpu = gpus.gpu(gpuId);
        if (gpu.mode().equals(mode)) {
            return new Outcome(gpu.label(), mode, mode);
        }
        if (!gpu.supportedModes().contains(mode)) {
            throw new RefusedException("operator.gpus.mode.unsupported." + mode, gpu.label(), gpu.model());
        }
        try {
            jdbc.sql("update gpu set mode = ?, updated_at = now() where id = ?").params(mode, gpuId).update();
        }
        catch (DataIntegrityViolationException busy) {
            throw new RefusedException("operator.gpus.mode.busy", gpu.label(), gpu.slices().size());
        }
        audit.record(who, null, "gpu.mode", gpu.label(), gpu.model() + ": " + gpu.mode() + " -> " + mode);
        generations.bump(gpu.hostId());
        return new Outcome(gpu.label(), gpu.mode(), mode);
    }
}
