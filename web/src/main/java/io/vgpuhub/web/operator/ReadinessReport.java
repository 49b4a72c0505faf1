package io.vgpuhub.web.operator;

import java.time.Instant;
import java.util.List;

import io.vgpuhub.web.i18n.UtcFormat;

/**
 * A host's readiness as its agent last checked it, for the host page: the host-wide checks, then each GPU's. Checks
 * come failed first, then warnings, then those that passed, each group in the agent's order.
 *
 * @param checkedAt          when the agent ran the checks, by its clock
 * @param secondsSinceChecked how long ago that is, by the database's clock
 */
record ReadinessReport(Instant checkedAt, Long secondsSinceChecked, List<Check> hostChecks, List<GpuChecks> gpus) {

    public String checkedAtUtc() {
        return UtcFormat.second(checkedAt);
    }

    public Ago checkedAgo() {
        return Ago.of(secondsSinceChecked);
    }

    /**
     * The checks of one GPU.
     *
     * @param model the catalog model of the GPU at that address on this host; null when the server knows no GPU there
     */
    record GpuChecks(String pciAddress, String model, List<Check> checks) {
    }

    /** One check as the agent reported it; summary and fix are the agent's words (English), shown as sent. */
    record Check(String check, String status, String summary, String fix) {

        /** The message key of the check's label; templates fall back to the id for checks newer than the bundle. */
        public String labelKey() {
            return "readiness.check." + check;
        }

        public boolean hasFix() {
            return fix != null && !fix.isBlank();
        }
    }
}
