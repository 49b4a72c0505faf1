package io.vgpuhub.agent.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One readiness check, as the agent reports it ({@code readiness.checks[]} of the inventory) and {@code doctor --json}
 * prints it.
 *
 * @param scope {@code host}, or a GPU's PCI address in sysfs form
 * @param check the stable check id, e.g. {@code iommu-cmdline}
 * @param summary one line, at most {@value #SUMMARY_MAX} characters
 * @param fix the exact command or step; null when OK, at most {@value #FIX_MAX} characters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReadinessCheck(String scope, String check, Status status, String summary, String fix) {

    public static final String HOST = "host";
    static final int SUMMARY_MAX = 300;
    static final int FIX_MAX = 500;

    /** A host is ready when no check FAILs; WARN means it runs, with less than it could (see the summary). */
    public enum Status {
        OK, WARN, FAIL
    }

    public ReadinessCheck {
        if (status == Status.OK) {
            fix = null;
        }
        else if (fix == null || fix.isBlank()) {
            throw new IllegalArgumentException("a " + status + " check needs a fix: " + check);
        }
        // Long member lists would otherwise break the contract's limits; the head of the text carries the point.
        summary = cut(summary, SUMMARY_MAX);
        fix = fix == null ? null : cut(fix, FIX_MAX);
    }

    static ReadinessCheck ok(String scope, String check, String summary) {
        return new ReadinessCheck(scope, check, Status.OK, summary, null);
    }

    static ReadinessCheck warn(String scope, String check, String summary, String fix) {
        return new ReadinessCheck(scope, check, Status.WARN, summary, fix);
    }

    static ReadinessCheck fail(String scope, String check, String summary, String fix) {
        return new ReadinessCheck(scope, check, Status.FAIL, summary, fix);
    }

    private static String cut(String text, int max) {
        String line = text.replaceAll("\\s*\\R\\s*", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
