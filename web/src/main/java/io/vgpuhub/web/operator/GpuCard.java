package io.vgpuhub.web.operator;

import java.util.List;

/**
 * One GPU on the operator's GPU page. {@code mode} is what the operator wants and placement trusts;
 * {@code reportedMode} what the host's agent last saw. While they differ the agent is switching (or cannot).
 */
record GpuCard(long id, long hostId, String hostName, String model, String pciAddress, int memoryMib, String mode,
        String reportedMode, boolean migCapable, List<String> supportedModes, List<Holder> slices, Capacity capacity) {

    public boolean switching() {
        return reportedMode != null && !reportedMode.equals(mode);
    }

    public boolean busy() {
        return !slices.isEmpty();
    }

    /** The target in audit rows and messages: host and PCI address name a GPU for an operator. */
    public String label() {
        return hostName + " " + pciAddress;
    }
}
