package io.vgpuhub.agent.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.vgpuhub.agent.doctor.Doctor;
import io.vgpuhub.agent.doctor.Readiness;
import io.vgpuhub.agent.doctor.ReadinessCheck;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * {@code doctor}: the host's readiness, host-wide then per GPU, with the fix for each problem. Read-only: sysfs and
 * procfs reads and NVML getters (simulated, it boots the simulated host the first time, as the other host commands do).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = {
        "Check that this host is ready for vGPU Hub (read-only) and print the fix for each problem.",
        "Host checks: iommu-cmdline, iommu-groups, vfio-modules, nvidia-driver, vgpu-manager; per GPU: driver-flavour, "
                + "gpu-driver, sriov, vf-drivers, mig, iommu-group.",
        "Exit status: 0 ready (no FAIL; WARNs allowed), 1 at least one FAIL, 2 the doctor could not run.",
        "With --json: {\"checkedAt\", \"checks\": [{\"scope\": host|<GPU PCI address>, \"check\", \"status\": OK|WARN|FAIL, "
                + "\"summary\", \"fix\" (unless OK)}]}, as the agent reports it to the server." })
final class DoctorCommand implements Callable<Integer> {

    static final int CANNOT_RUN = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HostOptions host;

    @Option(names = "--json", description = "Print the readiness as JSON (fields above) instead of text.")
    boolean json;

    @Option(names = "--nvml-library", paramLabel = "<name>", defaultValue = Nvml.REAL_LIBRARY,
            description = "NVML library to load (default: ${DEFAULT-VALUE}, i.e. libnvidia-ml.so.1).")
    String nvmlLibrary;

    @Override
    public Integer call() {
        Sysfs sysfs;
        try {
            sysfs = host.openSysfs();
        }
        catch (RuntimeException e) {
            spec.commandLine().getErr().println("vgpuhub-agent doctor: cannot run: " + e.getMessage());
            return CANNOT_RUN;
        }
        Doctor doctor = new Doctor(sysfs, host.passthroughStore(), Clock.systemUTC());
        Nvml nvml;
        try {
            nvml = host.openNvml(nvmlLibrary);
        }
        catch (RuntimeException | UnsatisfiedLinkError noDriver) {
            // a host without the NVIDIA driver still gets its checks: the GPU ones fall back to sysfs
            return print(doctor.checkWithoutNvml(whyNoNvml(noDriver)));
        }
        try (nvml) {
            return print(doctor.check(nvml));
        }
    }

    /** One short reason: the linker's and JNA's text is long and says no more than this. */
    private String whyNoNvml(Throwable e) {
        if (e instanceof NvmlException nvml) {
            return "NVML does not start: " + nvml.codeName();
        }
        String library = Nvml.REAL_LIBRARY.equals(nvmlLibrary) ? "libnvidia-ml.so.1" : nvmlLibrary;
        return "the NVML library " + library + " cannot be loaded";
    }

    private int print(Readiness readiness) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(PrettyJson.MAPPER.writeValueAsString(readiness));
        }
        else {
            printText(out, readiness);
        }
        out.flush();
        return readiness.ready() ? CommandLine.ExitCode.OK : 1;
    }

    private static void printText(PrintWriter out, Readiness readiness) {
        out.printf("Host readiness, checked at %s%n", readiness.checkedAt());
        String scope = null;
        List<ReadinessCheck> checks = readiness.checks();
        int width = checks.stream().mapToInt(c -> c.check().length()).max().orElse(0);
        for (ReadinessCheck c : checks) {
            if (!c.scope().equals(scope)) {
                scope = c.scope();
                out.println(ReadinessCheck.HOST.equals(scope) ? "Host" : "GPU " + scope);
            }
            out.printf("  %-4s  %-" + width + "s  %s%n", c.status(), c.check(), c.summary());
            if (c.fix() != null) {
                out.printf("  %4s  %" + width + "s  fix: %s%n", "", "", c.fix());
            }
        }
        if (readiness.ready()) {
            out.println(readiness.warnings() == 0 ? "ready" : "ready (" + readiness.warnings() + " warning(s))");
        }
        else {
            out.println(readiness.failures() + " problem(s), " + readiness.warnings() + " warning(s)");
        }
    }
}
