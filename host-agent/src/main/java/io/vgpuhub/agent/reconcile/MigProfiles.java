package io.vgpuhub.agent.reconcile;

import java.util.List;
import java.util.Optional;

import io.vgpuhub.agent.nvml.GpuInstanceProfile;

/** Finds GPU-instance profiles by the names operators and the server use ({@code 3g.40gb}) or by profile ID. */
public final class MigProfiles {

    private MigProfiles() {
    }

    /** {@code 3g.40gb} for {@code MIG 3g.40gb}; other names unchanged. */
    public static String shortName(String nvmlName) {
        return nvmlName != null && nvmlName.startsWith("MIG ") ? nvmlName.substring(4) : nvmlName;
    }

    /** The profile named {@code name} ({@code 3g.40gb} or {@code MIG 3g.40gb}), or with that ID when {@code name} is a number. */
    public static Optional<GpuInstanceProfile> find(List<GpuInstanceProfile> profiles, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String wanted = shortName(name.strip());
        for (GpuInstanceProfile p : profiles) {
            if (shortName(p.name()).equals(wanted)) {
                return Optional.of(p);
            }
        }
        if (wanted.chars().allMatch(Character::isDigit) && wanted.length() < 6) {
            int id = Integer.parseInt(wanted);
            return profiles.stream().filter(p -> p.id() == id).findFirst();
        }
        return Optional.empty();
    }
}
