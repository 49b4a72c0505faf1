package io.vgpuhub.agent.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.reconcile.GpuDevices;
import io.vgpuhub.agent.reconcile.MigRestorer;
import io.vgpuhub.agent.reconcile.PassthroughReconciler;
import io.vgpuhub.agent.reconcile.Restorer;
import io.vgpuhub.agent.sysfs.Sysfs;

/** {@code restore}: recreates the recorded slices after a reboot, without the server. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {
                "Recreate the recorded slices after a reboot, without the server: bind every recorded passthrough GPU and "
                        + "the functions recorded with it (its audio function) to vfio-pci again (driver_override does not "
                        + "survive a reboot; a GPU that holds devices, runs host compute processes, is bound to another driver, "
                        + "or whose host lacks the IOMMU or vfio-pci, is left alone and counts as failed), enable the VFs of every recorded GPU whose "
                        + "sriov_numvfs is 0 (with /usr/lib/nvidia/sriov-manage -e <pf> where it is installed and the host is "
                        + "not simulated, else by writing sriov_totalvfs to sriov_numvfs), then recreate every recorded mdev that "
                        + "is missing, then (where MIG slices are recorded) enable MIG on their GPUs where it is off and recreate every recorded GPU instance at its placement, largest first. Idempotent. Prints one line per action and a summary.",
                "Exit status: 0 when every recorded slice exists, 1 when any could not be restored (the kernel's errno on its line)." })
final class RestoreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HostOptions host;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Path> sriovManage = host.simulated() ? Optional.empty() : Restorer.installedSriovManage();
        Sysfs sysfs = host.openSysfs();
        boolean passthrough = !host.passthroughStore().all().isEmpty();
        if (host.migStore().all().isEmpty() && !passthrough) {
            Restorer.Result result = new Restorer(sysfs, host.store(), sriovManage).restore(out::println);
            out.flush();
            return result.ok() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
        }
        try (Nvml nvml = host.openNvml(Nvml.REAL_LIBRARY)) {
            int failed = 0;
            if (passthrough) {
                failed += new PassthroughReconciler(sysfs, host.passthroughStore(), null, nvml, new GpuDevices(sysfs, nvml.mig()),
                        sriovManage).restore(out::println).failed();
            }
            Optional<MigRestorer> mig = host.migStore().all().isEmpty() ? Optional.empty()
                    : Optional.of(new MigRestorer(nvml.mig(), host.migStore()));
            Restorer.Result result = new Restorer(sysfs, host.store(), sriovManage, mig).restore(out::println);
            out.flush();
            return result.ok() && failed == 0 ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
        }
    }
}
