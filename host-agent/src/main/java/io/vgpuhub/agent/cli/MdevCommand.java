package io.vgpuhub.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.vgpuhub.agent.reconcile.SliceRecord;
import io.vgpuhub.agent.reconcile.SliceStore;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.MdevParent;
import io.vgpuhub.agent.sysfs.MdevType;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.SysfsNames;

/** {@code mdev list|create|remove}: the host's mediated devices, by hand. */
@Command(name = "mdev", mixinStandardHelpOptions = true, description = "List, create and remove mediated devices (vGPUs).",
        subcommands = { MdevCommand.ListCommand.class, MdevCommand.CreateCommand.class, MdevCommand.RemoveCommand.class })
final class MdevCommand implements Callable<Integer> {

    /** Owner column: a slice the server asked for, one an operator created with {@code mdev create}, or neither. */
    static final String OWNER_AGENT = "agent";
    static final String OWNER_AGENT_CLI = "agent-cli";
    static final String OWNER_FOREIGN = "foreign";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = { "List the mdevs that exist, and recorded ones that are missing.",
                    "Columns: UUID, PARENT (the VF or GPU), TYPE (nvidia-NNN), NAME (the type's name), OWNER: agent (a slice the "
                            + "server asked for), agent-cli (created with 'mdev create'), foreign (not recorded by this "
                            + "agent: never removed by it); recorded mdevs that do not exist show '(missing)'." })
    static final class ListCommand implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HostOptions host;

        @Override
        public Integer call() {
            Sysfs sysfs = host.openSysfs();
            SliceStore store = host.store();
            Map<UUID, SliceRecord> records = new HashMap<>();
            for (SliceRecord r : store.all()) {
                records.put(r.sliceId(), r);
            }
            Map<String, Map<String, String>> typeNames = new HashMap<>();
            List<String[]> rows = new ArrayList<>();
            for (Mdev mdev : sysfs.mdevs()) {
                SliceRecord r = records.remove(mdev.uuid());
                String name = typeNames.computeIfAbsent(mdev.parent(), p -> names(sysfs, p)).getOrDefault(mdev.typeId(), "?");
                rows.add(new String[] { mdev.uuid().toString(), mdev.parent(), mdev.typeId(), name, owner(r) });
            }
            for (SliceRecord r : records.values()) {
                rows.add(new String[] { r.sliceId().toString(), r.parent(), r.mdevTypeId(),
                        r.vgpuType() != null ? r.vgpuType() : "?", owner(r) + " (missing)" });
            }
            PrintWriter out = spec.commandLine().getOut();
            String format = "%-36s  %-12s  %-12s  %-20s  %s%n";
            out.printf(format, "UUID", "PARENT", "TYPE", "NAME", "OWNER");
            for (String[] row : rows) {
                out.printf(format, (Object[]) row);
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }

        private static Map<String, String> names(Sysfs sysfs, String parent) {
            Map<String, String> names = new HashMap<>();
            for (MdevType t : sysfs.types(parent)) {
                names.put(t.id(), t.name());
            }
            return names;
        }

        private static String owner(SliceRecord r) {
            if (r == null) {
                return OWNER_FOREIGN;
            }
            return r.fromServer() ? OWNER_AGENT : OWNER_AGENT_CLI;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = { "Create an mdev and record it (mdevctl definition under <state dir>/mdevctl.d), so that "
                    + "'restore' recreates it after a reboot. Prints the mdev's UUID.",
                    "The running agent never removes it: only 'mdev remove' does." })
    static final class CreateCommand implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HostOptions host;

        @Option(names = "--parent", required = true, paramLabel = "<VF>", description = "The parent device (a VF on SR-IOV GPUs), e.g. 0000:41:00.4.")
        String parent;

        @Option(names = "--type", required = true, paramLabel = "<type>", description = "A vGPU profile name (A40-8Q) or an mdev type id (nvidia-557).")
        String type;

        @Option(names = "--uuid", paramLabel = "<uuid>", description = "The mdev's UUID (default: a random one).")
        UUID uuid;

        @Override
        public Integer call() {
            if (!SysfsNames.isPciAddress(parent)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--parent must be a PCI address in sysfs form (0000:41:00.4): '" + parent + "'");
            }
            Sysfs sysfs = host.openSysfs();
            SliceStore store = host.store();
            UUID id = uuid != null ? uuid : UUID.randomUUID();
            Optional<MdevParent> mdevParent = sysfs.mdevParents().stream().filter(p -> p.address().equals(parent)).findFirst();
            if (mdevParent.isEmpty()) {
                throw new IllegalStateException(parent + " is not an mdev parent (no " + sysfs.root().resolve("class/mdev_bus").resolve(parent)
                        + "): ENODEV");
            }
            MdevType mdevType = sysfs.types(parent).stream()
                    .filter(t -> t.id().equals(type) || t.profile().equals(type) || t.name().equals(type)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no mdev type " + type + " on " + parent + ": ENOENT"));
            if (store.contains(id)) {
                throw new IllegalStateException("mdev " + id + " is already recorded: EEXIST");
            }
            String gpu = mdevParent.get().isVirtualFunction() ? mdevParent.get().physicalFunction() : parent;
            store.save(new SliceRecord(id, DesiredState.VGPU, gpu, parent, mdevType.id(), mdevType.profile(), SliceRecord.ORIGIN_CLI));
            try {
                sysfs.createMdev(parent, mdevType.id(), id);
            }
            catch (RuntimeException e) {
                store.delete(id);
                throw e;
            }
            spec.commandLine().getOut().println(id);
            spec.commandLine().getOut().flush();
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an mdev and its record. Refuses an mdev this agent did not record unless --force.")
    static final class RemoveCommand implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HostOptions host;

        @Parameters(index = "0", paramLabel = "<uuid>", description = "The mdev's UUID.")
        UUID uuid;

        @Option(names = "--force", description = "Also remove an mdev that this agent did not record (foreign).")
        boolean force;

        @Override
        public Integer call() {
            Sysfs sysfs = host.openSysfs();
            SliceStore store = host.store();
            boolean recorded = store.contains(uuid);
            boolean present = sysfs.mdevs().stream().anyMatch(m -> m.uuid().equals(uuid));
            if (!recorded && present && !force) {
                throw new IllegalStateException("mdev " + uuid + " was not created by vGPU Hub (foreign); "
                        + "refusing to remove it without --force: EPERM");
            }
            if (present || !recorded) {
                sysfs.removeMdev(uuid);   // an mdev that exists nowhere: the kernel's own ENOENT
            }
            if (recorded) {
                store.delete(uuid);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("removed " + uuid + (present ? "" : " (record only; the mdev did not exist)"));
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }
}
