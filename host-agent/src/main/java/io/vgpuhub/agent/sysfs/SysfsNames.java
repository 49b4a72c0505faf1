package io.vgpuhub.agent.sysfs;

import java.util.UUID;
import java.util.regex.Pattern;

/** Strict checks for every name that becomes part of a sysfs path. */
public final class SysfsNames {

    private static final Pattern PCI_ADDRESS = Pattern.compile("^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]$");
    private static final Pattern TYPE_ID = Pattern.compile("^nvidia-[0-9]{1,5}$");

    private SysfsNames() {
    }

    /** A PCI address in sysfs form, e.g. {@code 0000:41:00.4}. */
    public static String pciAddress(String value) {
        if (value == null || !PCI_ADDRESS.matcher(value).matches()) {
            throw new UnsafeSysfsPathException("not a PCI address in sysfs form (0000:41:00.4): '" + value + "'");
        }
        return value;
    }

    public static boolean isPciAddress(String value) {
        return value != null && PCI_ADDRESS.matcher(value).matches();
    }

    /** An NVIDIA mdev type directory name, e.g. {@code nvidia-557}. */
    public static String typeId(String value) {
        if (value == null || !TYPE_ID.matcher(value).matches()) {
            throw new UnsafeSysfsPathException("not an NVIDIA mdev type id (nvidia-NNN): '" + value + "'");
        }
        return value;
    }

    /** The kernel names mdevs by the lower-case canonical UUID form. */
    public static String uuid(UUID value) {
        if (value == null) {
            throw new UnsafeSysfsPathException("missing UUID");
        }
        return value.toString();
    }

    /** Parses a directory name as a UUID, accepting only the canonical lower-case form the kernel writes. */
    public static UUID parseUuid(String value) {
        try {
            UUID uuid = UUID.fromString(value);
            if (!uuid.toString().equals(value)) {
                throw new UnsafeSysfsPathException("not a canonical lower-case UUID: '" + value + "'");
            }
            return uuid;
        }
        catch (IllegalArgumentException e) {
            throw new UnsafeSysfsPathException("not a UUID: '" + value + "'");
        }
    }
}
