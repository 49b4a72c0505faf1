package io.vgpuhub.metering.licensing.entitlement;

import io.vgpuhub.metering.licensing.AdmissionPolicy;
import io.vgpuhub.metering.licensing.Edition;

/** An edition as {@code license_edition} describes it. perGpu: one seat covers a physical GPU, not one VM. */
public record EditionPolicy(Edition edition, String name, boolean perGpu, AdmissionPolicy admissionPolicy) {
}
