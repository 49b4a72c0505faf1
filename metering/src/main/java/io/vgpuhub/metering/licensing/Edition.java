package io.vgpuhub.metering.licensing;

/**
 * NVIDIA vGPU software license editions, as {@code license_edition.code} and {@code offering.license_edition} name
 * them. A vGPU profile's series letter decides its edition: A = vApps, B = vPC, Q = vWS, C = vCS / AI Enterprise.
 */
public enum Edition {
    VAPPS, VPC, VWS, VCS
}
