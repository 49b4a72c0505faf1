package io.vgpuhub.agent.nvml;

/**
 * A vGPU type of a physical GPU, as NVML describes it.
 *
 * @param id nvmlVgpuTypeId_t: the number of the mdev type {@code nvidia-<id>}
 * @param name e.g. {@code NVIDIA A40-8Q}
 * @param typeClass e.g. {@code Quadro}, {@code NVS}, {@code Compute}
 * @param framebufferMib the framebuffer each vGPU of the type gets
 * @param maxInstances per physical GPU
 * @param license the license editions the type accepts, {@code "<name>,<version>"} alternatives separated by {@code ;}
 */
public record VgpuType(int id, String name, String typeClass, long framebufferMib, int maxInstances, String license) {

    /** The profile name without product prefix, e.g. {@code A40-8Q}: the last whitespace-separated token of the name. */
    public String profile() {
        return profileOf(name);
    }

    /**
     * The last whitespace-separated token of a vGPU type's name ({@code NVIDIA A40-8Q}, older drivers {@code GRID ...}),
     * as NVML, mdev types and vendor-VFIO types all name them.
     */
    public static String profileOf(String name) {
        String[] tokens = name.strip().split("\\s+");
        return tokens[tokens.length - 1];
    }
}
