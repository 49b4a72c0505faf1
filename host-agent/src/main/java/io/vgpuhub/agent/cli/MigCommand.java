package io.vgpuhub.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.GpuInstanceProfile;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.Placement;
import io.vgpuhub.agent.reconcile.MigProfiles;
import io.vgpuhub.agent.reconcile.MigRecord;

/** {@code mig status|create|destroy}: the host's MIG layout, and GPU instances made or destroyed by hand. */
@Command(name = "mig", mixinStandardHelpOptions = true,
        description = { "Show and change the MIG GPU instances of the host's GPUs (through NVML).",
                "Simulated (--simulate), the simulator keeps MIG state per process: a new process starts from the host file, "
                        + "as after a reboot." },
        subcommands = { MigCommand.Status.class, MigCommand.Create.class, MigCommand.Destroy.class })
final class MigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    static final class NvmlOptions {
        @Option(names = "--nvml-library", paramLabel = "<name>", defaultValue = Nvml.REAL_LIBRARY,
                description = "NVML library to load (default: ${DEFAULT-VALUE}); ignored when simulated.")
        String nvmlLibrary;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = { "Per MIG-capable GPU: current and pending MIG mode, the GPU instances (GI ID, profile, placement "
                    + "start:size, MIG device UUIDs, and the slice they were recorded for), and what each profile can still fit." })
    static final class Status implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HostOptions host;

        @Mixin
        NvmlOptions nvmlOptions;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<MigRecord> records = host.migStore().all();
            try (Nvml nvml = host.openNvml(nvmlOptions.nvmlLibrary)) {
                Mig mig = nvml.mig();
                int shown = 0;
                for (GpuInfo gpu : nvml.gpus()) {
                    MigMode mode;
                    try {
                        mode = mig.mode(gpu.pciAddress());
                    }
                    catch (NvmlException e) {
                        out.printf("GPU %s %s: MIG not supported%n", gpu.pciAddress(), gpu.name());
                        continue;
                    }
                    shown++;
                    printGpu(out, mig, gpu, mode, records);
                }
                if (shown == 0) {
                    out.println("no MIG-capable GPU");
                }
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }

        private static void printGpu(PrintWriter out, Mig mig, GpuInfo gpu, MigMode mode, List<MigRecord> records) {
            String pci = gpu.pciAddress();
            out.printf("GPU %s %s: MIG %s%s%n", pci, gpu.name(), mode.current() ? "enabled" : "disabled",
                    mode.resetRequired() ? " (pending: " + (mode.pending() ? "enabled" : "disabled") + " after a GPU reset)" : "");
            List<GpuInstanceProfile> profiles = mig.profiles(pci);
            List<GpuInstance> instances = mig.instances(pci);
            out.println("  GPU instances:");
            if (instances.isEmpty()) {
                out.println("    none");
            }
            else {
                out.printf("    %-4s %-16s %-4s %-9s %-36s %s%n", "GI", "Profile", "ID", "Placement", "Slice", "MIG devices");
                for (GpuInstance gi : instances) {
                    String slice = records.stream()
                            .filter(r -> r.gpuPciAddress().equals(pci) && r.matches(gi))
                            .map(r -> r.sliceId().toString()).findFirst().orElse("-");
                    out.printf("    %-4d %-16s %-4d %-9s %-36s %s%n", gi.id(), profileName(profiles, gi.profileId()),
                            gi.profileId(), gi.placement().start() + ":" + gi.placement().size(), slice,
                            gi.migDeviceUuids().isEmpty() ? "-" : String.join(",", gi.migDeviceUuids()));
                }
            }
            out.println("  Free capacity:");
            if (profiles.isEmpty() && !mode.current()) {
                out.println("    n/a: NVML lists the GPU-instance profiles only while MIG is enabled");
                return;
            }
            out.printf("    %-16s %-4s %-10s %s%n", "Profile", "ID", "Free/Max", "Placements");
            for (GpuInstanceProfile p : profiles) {
                String free;
                try {
                    free = mig.remainingCapacity(pci, p.id()) + "/" + p.instanceCount();
                }
                catch (NvmlException e) {
                    free = "n/a";
                }
                out.printf("    %-16s %-4d %-10s %s%n", p.name(), p.id(), free, placements(mig.possiblePlacements(pci, p.id())));
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = { "Create a GPU instance of a profile at a placement, with its full-size compute instance, and print "
                    + "its GI ID and MIG device UUID. MIG must be enabled. Not recorded for any slice: the agent never destroys it.",
                    "Exit status: 0 created, 1 NVML refused (its error name on stderr), 2 usage." })
    static final class Create implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HostOptions host;

        @Mixin
        NvmlOptions nvmlOptions;

        @Option(names = "--gpu", required = true, paramLabel = "<pci>", description = "The GPU's PCI address.")
        String gpu;

        @Option(names = "--profile", required = true, paramLabel = "<profile>", description = "Profile name (3g.40gb) or ID (9).")
        String profile;

        @Option(names = "--start", required = true, paramLabel = "<n>", description = "First memory slice of the placement.")
        int start;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Nvml nvml = host.openNvml(nvmlOptions.nvmlLibrary)) {
                Mig mig = nvml.mig();
                // NVML lists the profiles only while MIG is enabled, so the mode comes first.
                if (!mig.mode(gpu).current()) {
                    err.println("vgpuhub-agent: MIG is disabled on " + gpu + "; enable it first (nvidia-smi -i " + gpu + " -mig 1)");
                    return CommandLine.ExitCode.SOFTWARE;
                }
                List<GpuInstanceProfile> profiles = mig.profiles(gpu);
                Optional<GpuInstanceProfile> found = MigProfiles.find(profiles, profile);
                if (found.isEmpty()) {
                    err.println("vgpuhub-agent: no MIG profile " + profile + " on " + gpu + " (profiles: "
                            + profiles.stream().map(p -> MigProfiles.shortName(p.name()) + "=" + p.id()).collect(Collectors.joining(", ")) + ")");
                    return CommandLine.ExitCode.SOFTWARE;
                }
                GpuInstance gi = mig.create(gpu, found.get().id(), start);
                out.printf("created GPU instance %d (%s at %d:%d) on %s: %s%n", gi.id(), found.get().name(),
                        gi.placement().start(), gi.placement().size(), gpu, String.join(",", gi.migDeviceUuids()));
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = { "Destroy a GPU instance and its compute instances. Refuses one recorded for a slice (the server "
                    + "still wants it; the agent would recreate it) unless --force.",
                    "Exit status: 0 destroyed, 1 refused or NVML failed, 2 usage." })
    static final class Destroy implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HostOptions host;

        @Mixin
        NvmlOptions nvmlOptions;

        @Option(names = "--gpu", required = true, paramLabel = "<pci>", description = "The GPU's PCI address.")
        String gpu;

        @Option(names = "--instance", required = true, paramLabel = "<giId>", description = "GPU instance ID (mig status).")
        int instance;

        @Option(names = "--force", description = "Destroy it even when it is recorded for a slice.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Nvml nvml = host.openNvml(nvmlOptions.nvmlLibrary)) {
                Mig mig = nvml.mig();
                Optional<GpuInstance> gi = mig.instances(gpu).stream().filter(i -> i.id() == instance).findFirst();
                if (gi.isEmpty()) {
                    err.println("vgpuhub-agent: no GPU instance " + instance + " on " + gpu + ": NVML_ERROR_NOT_FOUND");
                    return CommandLine.ExitCode.SOFTWARE;
                }
                List<MigRecord> holders = new ArrayList<>();
                for (MigRecord r : host.migStore().all()) {
                    if (r.gpuPciAddress().equals(gpu) && r.matches(gi.get())) {
                        holders.add(r);
                    }
                }
                if (!holders.isEmpty() && !force) {
                    MigRecord r = holders.get(0);
                    err.println("vgpuhub-agent: GPU instance " + instance + " on " + gpu + " (" + r.shortProfileName() + " at "
                            + r.placement() + ") is recorded for slice " + r.sliceId() + "; not destroyed (use --force)");
                    return CommandLine.ExitCode.SOFTWARE;
                }
                mig.destroy(gpu, instance);
                out.printf("destroyed GPU instance %d (%s at %d:%d) on %s%n", instance,
                        profileName(mig.profiles(gpu), gi.get().profileId()), gi.get().placement().start(),
                        gi.get().placement().size(), gpu);
                if (!holders.isEmpty()) {
                    out.println("slice " + holders.get(0).sliceId() + " stays recorded: the agent recreates it while the server wants it");
                }
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }

    static String profileName(List<GpuInstanceProfile> profiles, int id) {
        return profiles.stream().filter(p -> p.id() == id).map(GpuInstanceProfile::name).findFirst().orElse("profile " + id);
    }

    /** {@code {0,4}:4}, as {@code nvidia-smi mig -lgipp} prints them. */
    static String placements(List<Placement> placements) {
        if (placements.isEmpty()) {
            return "-";
        }
        return placements.stream().map(p -> String.valueOf(p.start())).collect(Collectors.joining(",", "{", "}"))
                + ":" + placements.get(0).size();
    }
}
