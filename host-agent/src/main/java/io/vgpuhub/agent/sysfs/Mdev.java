package io.vgpuhub.agent.sysfs;

import java.util.UUID;

/** A mediated device that exists now ({@code /sys/bus/mdev/devices/<uuid>}). */
public record Mdev(UUID uuid, String parent, String typeId) {
}
