package io.vgpuhub.agent.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vgpuhub.agent.nvml.VgpuType;

/**
 * One line of a VF's {@code nvidia/creatable_vgpu_types} (NVIDIA's vendor-specific VFIO framework).
 *
 * @param id the vGPU type id, the number written to {@code nvidia/current_vgpu_type} (the same number as NVML's
 *        {@code nvmlVgpuTypeId_t} and the mdev type {@code nvidia-<id>})
 * @param name the full name, e.g. {@code NVIDIA A40-8Q}
 */
public record VendorVfioType(int id, String name) {

    private static final Pattern NUMBER = Pattern.compile("^[0-9]{1,9}$");
    private static final Pattern NAME_THEN_ID = Pattern.compile("^(.*\\S)\\s+([0-9]{1,9})$");
    private static final Pattern FRAMEBUFFER_GB = Pattern.compile("-([0-9]{1,4})[ABCQ](?:ME|NOME|MEALL|GFX)?$");

    public VendorVfioType {
        if (id <= 0) {
            throw new IllegalArgumentException("vGPU type ids are positive: " + id);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("vGPU type " + id + " has no name");
        }
    }

    /** The profile name without product prefix, e.g. {@code A40-8Q}: the last whitespace-separated token of the name. */
    public String profile() {
        return VgpuType.profileOf(name);
    }

    /**
     * The framebuffer of a profile from its name (reference §5.1: {@code <board>-<GB><series>}, MIG-backed
     * {@code <board>-<g>-<GB><series>[ME|NOME|MEALL|GFX]}; {@code 0} means 512 MB), in MiB; 0 when the name does not
     * follow the pattern. The vendor-VFIO sysfs files carry no framebuffer size, unlike an mdev type's description.
     */
    public static long framebufferMib(String profile) {
        Matcher m = FRAMEBUFFER_GB.matcher(profile == null ? "" : profile);
        if (!m.find()) {
            return 0;
        }
        long gb = Long.parseLong(m.group(1));
        return gb == 0 ? 512 : gb * 1024;
    }

    /**
     * Parses {@code creatable_vgpu_types} leniently, as NVIDIA's device manager does: one type per line as
     * {@code <id> : <name>} (what the driver writes), {@code <id> <name>}, or {@code <name> <id>} (seen in a public test
     * fixture); the header line (starting with {@code ID}), blank lines and lines without a type id are skipped.
     */
    public static List<VendorVfioType> parseCreatable(String text) {
        List<VendorVfioType> types = new ArrayList<>();
        if (text == null) {
            return types;
        }
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.toUpperCase(Locale.ROOT).startsWith("ID")) {
                continue;
            }
            VendorVfioType type = parseLine(line);
            if (type != null) {
                types.add(type);
            }
        }
        return List.copyOf(types);
    }

    private static VendorVfioType parseLine(String line) {
        int colon = line.indexOf(':');
        if (colon >= 0) {
            String left = line.substring(0, colon).strip();
            String right = line.substring(colon + 1).strip();
            if (isId(left) && !right.isEmpty()) {
                return new VendorVfioType(Integer.parseInt(left), right);
            }
            if (isId(right) && !left.isEmpty()) {
                return new VendorVfioType(Integer.parseInt(right), left);
            }
            return null;
        }
        String[] tokens = line.split("\\s+", 2);
        if (tokens.length == 2 && isId(tokens[0])) {
            return new VendorVfioType(Integer.parseInt(tokens[0]), tokens[1].strip());
        }
        Matcher nameThenId = NAME_THEN_ID.matcher(line);
        if (nameThenId.matches() && isId(nameThenId.group(2))) {
            return new VendorVfioType(Integer.parseInt(nameThenId.group(2)), nameThenId.group(1).strip());
        }
        return null;
    }

    private static boolean isId(String s) {
        return NUMBER.matcher(s).matches() && Integer.parseInt(s) > 0;
    }
}
