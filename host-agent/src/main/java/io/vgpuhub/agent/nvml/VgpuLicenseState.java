package io.vgpuhub.agent.nvml;

/** The guest's license state of a vGPU (NVML_GRID_LICENSE_STATE_*), plus {@link #NO_GUEST_DRIVER}. */
public enum VgpuLicenseState {
    UNKNOWN,
    UNINITIALIZED,
    UNLICENSED_UNRESTRICTED,
    UNLICENSED_RESTRICTED,
    UNLICENSED,
    LICENSED,
    /** NVML answered DRIVER_NOT_LOADED: no NVIDIA driver runs in the guest yet. */
    NO_GUEST_DRIVER;

    static VgpuLicenseState ofNvml(int currentState) {
        return currentState >= 0 && currentState <= LICENSED.ordinal() ? values()[currentState] : UNKNOWN;
    }
}
