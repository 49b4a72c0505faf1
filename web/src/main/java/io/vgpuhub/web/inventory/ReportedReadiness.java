package io.vgpuhub.web.inventory;

import java.time.Instant;
import java.util.List;

/**
 * The host readiness checks (the agent's {@code doctor}) as the host's agent ran them, sent with its inventory report.
 *
 * @param checkedAt when the agent ran the checks, by its clock
 */
public record ReportedReadiness(Instant checkedAt, List<Check> checks) {

    /**
     * One check's result.
     *
     * @param scope   {@code host}, or the PCI address of the GPU it is about
     * @param check   the stable kebab-case id of the check, e.g. {@code iommu-cmdline}
     * @param status  {@code OK}, {@code WARN} or {@code FAIL}
     * @param summary what the agent found, one line
     * @param fix     the exact command or step that makes the check pass; null when there is nothing to fix
     */
    public record Check(String scope, String check, String status, String summary, String fix) {
    }
}
