package io.vgpuhub.agent.reconcile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * Enables and disables a GPU's SR-IOV VFs: with NVIDIA's {@code sriov-manage -e|-d <pf>} where it is installed (NVIDIA
 * asks that VFs be managed only through it), else by writing {@code sriov_numvfs} (simulated hosts, hosts without the
 * vGPU Manager's script).
 */
final class SriovFunctions {

    private final Sysfs sysfs;
    private final Optional<Path> sriovManage;

    SriovFunctions(Sysfs sysfs, Optional<Path> sriovManage) {
        this.sysfs = sysfs;
        this.sriovManage = sriovManage;
    }

    /** Enables every VF ({@code sriov_totalvfs}); returns how, for the log. */
    String enable(String pf) {
        if (sriovManage.isEmpty()) {
            int total = sysfs.totalVfs(pf);
            sysfs.setNumVfs(pf, total);
            return "wrote sriov_totalvfs " + total + " to sriov_numvfs";
        }
        return run("-e", pf);
    }

    /** Disables the VFs; returns how, for the log. */
    String disable(String pf) {
        if (sriovManage.isEmpty()) {
            sysfs.setNumVfs(pf, 0);
            return "wrote 0 to sriov_numvfs";
        }
        return run("-d", pf);
    }

    private String run(String flag, String pf) {
        String script = sriovManage.orElseThrow().toString();
        try {
            Process p = new ProcessBuilder(script, flag, pf).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SriovException(script + " " + flag + " " + pf + " did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip().replaceAll("\\s*\\R\\s*", " ");
                throw new SriovException(script + " " + flag + " " + pf + " exited with " + p.exitValue() + ": " + text);
            }
            return script + " " + flag + " " + pf;
        }
        catch (IOException e) {
            throw new SriovException("cannot run " + script + ": " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SriovException("interrupted while running " + script);
        }
    }

    /** {@code sriov-manage} failed or could not run. */
    static final class SriovException extends RuntimeException {
        SriovException(String message) {
            super(message);
        }
    }
}
