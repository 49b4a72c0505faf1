package io.vgpuhub.agent.sysfs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The NVIDIA vGPU manager's mdev type {@code description}, e.g.
 * {@code num_heads=4, frl_config=60, framebuffer=8192M, max_resolution=7680x4320, max_instance=6}.
 * Fields the driver did not write are 0 (numbers) or empty (resolution).
 */
public record MdevTypeDescription(int numHeads, int frlConfig, long framebufferMib, String maxResolution, int maxInstance) {

    public static MdevTypeDescription parse(String description) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : description.strip().split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("mdev type description item without '=': '" + item + "' in '" + description + "'");
            }
            fields.put(item.substring(0, eq).strip().toLowerCase(Locale.ROOT), item.substring(eq + 1).strip());
        }
        return new MdevTypeDescription(number(fields, "num_heads", description), number(fields, "frl_config", description),
                framebuffer(fields.get("framebuffer"), description), fields.getOrDefault("max_resolution", ""),
                number(fields, "max_instance", description));
    }

    private static int number(Map<String, String> fields, String key, String description) {
        String value = fields.get(key);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number in '" + description + "'");
        }
    }

    /** "8192M" (MiB, what NVIDIA drivers write); "8G" is accepted too. */
    private static long framebuffer(String value, String description) {
        if (value == null) {
            return 0;
        }
        String v = value.toUpperCase(Locale.ROOT);
        try {
            if (v.endsWith("M")) {
                return Long.parseLong(v.substring(0, v.length() - 1));
            }
            if (v.endsWith("G")) {
                return Long.parseLong(v.substring(0, v.length() - 1)) * 1024;
            }
            return Long.parseLong(v) / (1024 * 1024);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("framebuffer is not a size in '" + description + "'");
        }
    }
}
