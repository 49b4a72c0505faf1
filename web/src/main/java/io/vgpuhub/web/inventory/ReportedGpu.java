package io.vgpuhub.web.inventory;

import java.util.List;

import io.vgpuhub.web.catalog.SliceKind;

/** A GPU as the host agent discovered it. */
public record ReportedGpu(String pciAddress, String uuid, String name, int memoryMib, SliceKind mode,
        List<String> virtualFunctions) {

    /** The model name offerings use: NVML's name without its vendor prefix, e.g. "NVIDIA A40" is "A40". */
    public String model() {
        String trimmed = name.strip();
        return trimmed.startsWith("NVIDIA ") ? trimmed.substring("NVIDIA ".length()).strip() : trimmed;
    }
}
