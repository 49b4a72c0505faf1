package io.vgpuhub.web.inventory;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps the board names NVML reports to the model names the catalog's offerings use. NVML names the same model in
 * several ways (form factor, memory size, or neither), so known names are listed and the rest fall back to the name
 * without its vendor prefix.
 */
final class GpuModels {

    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("NVIDIA A40", "A40"),
            Map.entry("NVIDIA A100-SXM4-40GB", "A100-40GB"),
            Map.entry("NVIDIA A100-PCIE-40GB", "A100-40GB"),
            Map.entry("NVIDIA A100 80GB PCIe", "A100-80GB"),
            Map.entry("NVIDIA A100-SXM4-80GB", "A100-80GB"),
            Map.entry("NVIDIA H100 PCIe", "H100-80GB"),
            Map.entry("NVIDIA H100 80GB HBM3", "H100-80GB"),
            Map.entry("NVIDIA A30", "A30"),
            Map.entry("NVIDIA A10", "A10"),
            Map.entry("NVIDIA L40S", "L40S"),
            Map.entry("NVIDIA A16", "A16"),
            Map.entry("Tesla T4", "T4"));

    private static final Pattern VENDOR_PREFIX = Pattern.compile("^(NVIDIA|Tesla)\\s+");
    /** "A100" as a whole word: "A100X" or "A1000" are other boards. */
    private static final Pattern A100 = Pattern.compile("^A100(\\b|[-_ ]).*");
    private static final Pattern H100 = Pattern.compile("^H100(\\b|[-_ ]).*");
    /** Between the 40 GB A100 (40960 MiB) and the 80 GB one (81920 MiB). */
    private static final int A100_80GB_FROM_MIB = 60 * 1024;
    /** The 80 GB H100 boards report 79-80 GiB; the NVL (94 GB) and H100 96 GB are other catalog models. */
    private static final int H100_80GB_UP_TO_MIB = 82 * 1024;
    /** gpu.model holds at most 64 characters; a longer name matches no offering either way. */
    private static final int MAX_MODEL_LENGTH = 64;

    private GpuModels() {
    }

    static String catalogModel(String nvmlName, long memoryMib) {
        String name = nvmlName.strip().replaceAll("\\s+", " ");
        String known = KNOWN.get(name);
        if (known != null) {
            return known;
        }
        String model = VENDOR_PREFIX.matcher(name).replaceFirst("");
        if (A100.matcher(model).matches()) {
            return memoryMib >= A100_80GB_FROM_MIB ? "A100-80GB" : "A100-40GB";
        }
        if (H100.matcher(model).matches() && memoryMib <= H100_80GB_UP_TO_MIB && memoryMib >= A100_80GB_FROM_MIB) {
            return "H100-80GB";
        }
        return model.length() > MAX_MODEL_LENGTH ? model.substring(0, MAX_MODEL_LENGTH) : model;
    }
}
