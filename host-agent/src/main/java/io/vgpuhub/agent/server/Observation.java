package io.vgpuhub.agent.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Body of {@code POST /api/agent/v1/slices/{sliceId}/observed}.
 *
 * @param mdevUuid READY of a VGPU slice: the mdev's UUID (on vendor-VFIO hosts the slice id)
 * @param migDeviceUuid READY of a MIG slice: the {@code MIG-...} UUID NVML gives the slice's MIG device
 */
public record Observation(String state, UUID mdevUuid, String migDeviceUuid, String reason) {

    private static final String FAILED = "FAILED";

    /** A VGPU slice whose device exists. */
    public static Observation ready(UUID mdevUuid) {
        return new Observation("READY", mdevUuid, null, null);
    }

    /** A MIG slice whose GPU instance and compute instance exist. */
    public static Observation readyMig(String migDeviceUuid) {
        return new Observation("READY", null, migDeviceUuid, null);
    }

    /** A whole GPU bound to vfio-pci; the VM attaches it by its PCI address, so READY carries no UUID. */
    public static Observation readyPassthrough() {
        return new Observation("READY", null, null, null);
    }

    public static Observation failed(String reason) {
        return new Observation(FAILED, null, null, reason);
    }

    /** Whether this reports a slice that failed. */
    public boolean isFailed() {
        return FAILED.equals(state);
    }

    public static Observation absent() {
        return new Observation("ABSENT", null, null, null);
    }

    /**
     * The exact JSON shapes of the contract: READY carries mdevUuid (VGPU) or migDeviceUuid (MIG) or neither
     * (PASSTHROUGH), and reason null; FAILED a reason; ABSENT only the state.
     */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        switch (state) {
            case "READY" -> {
                if (mdevUuid != null) {
                    body.put("mdevUuid", mdevUuid.toString());
                }
                if (migDeviceUuid != null) {
                    body.put("migDeviceUuid", migDeviceUuid);
                }
                body.put("reason", null);
            }
            case FAILED -> body.put("reason", reason);
            default -> {
            }
        }
        return body;
    }
}
