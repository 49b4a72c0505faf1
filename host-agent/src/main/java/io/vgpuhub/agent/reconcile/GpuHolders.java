package io.vgpuhub.agent.reconcile;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Procfs;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * Who holds a GPU or its audio function on the host side. Unbinding either blocks in the kernel while anything has it
 * open, with no timeout: nvidia's remove loops until the GPU's usage count is 0 ("NVRM: Attempting to remove device ...
 * with non-zero usage count!"; holders are processes with {@code /dev/nvidia<minor>} open: nvidia-persistenced, DCGM,
 * nvidia-smi, CUDA jobs), and snd_hda_intel waits for the users of the card's {@code /dev/snd/*C<card>*}. So the agent
 * looks first and refuses, rather than hang in a write(2).
 *
 * <p>For the GPU it follows NVIDIA's own protocol, as {@code sriov-manage} does: {@code echo 1 > /proc/driver/nvidia/
 * gpus/<bdf>/unbindLock} and read it back: 1, nothing holds the GPU and new opens fail until the driver lets go of it
 * (the lock goes with the binding); 0, the GPU is in use. Drivers without that file (older ones) get the same answer
 * from a scan of the processes' fds ({@link Procfs#holding}), which also names the holders in a refusal.
 */
final class GpuHolders {

    private static final String WAITS = "would wait in the kernel until nothing uses it, so nothing was touched";

    private final Sysfs sysfs;
    private final Procfs procfs;

    GpuHolders(Sysfs sysfs) {
        this.sysfs = sysfs;
        this.procfs = sysfs.procfs();
    }

    /** Read-only: why the GPU cannot leave nvidia now, from an fd scan, when its driver has no unbind lock to ask. */
    Optional<String> nvidiaRefusalWithoutLock(String gpu) {
        if (!sysfs.drivers().isBoundTo(gpu, PciDrivers.NVIDIA) || procfs.hasNvidiaUnbindLock(gpu)) {
            return Optional.empty();
        }
        List<Procfs.Holder> holders = nvidiaHolders(gpu);
        return holders.isEmpty() ? Optional.empty() : Optional.of(inUse(gpu, holders));
    }

    /**
     * Takes the GPU's unbind lock while it is bound to nvidia; empty when taken (or when there is no lock and no holder
     * either), else why not, naming the holders where the fd scan finds them.
     *
     * @throws io.vgpuhub.agent.sysfs.KernelWriteException when the driver refuses the write itself
     */
    Optional<String> lock(String gpu) {
        if (!sysfs.drivers().isBoundTo(gpu, PciDrivers.NVIDIA)) {
            return Optional.empty();
        }
        Optional<Boolean> taken = procfs.takeNvidiaUnbindLock(gpu);
        if (taken.isEmpty()) {
            return nvidiaRefusalWithoutLock(gpu);
        }
        if (taken.get()) {
            return Optional.empty();
        }
        Optional<String> device = nvidiaDevice(gpu);
        List<Procfs.Holder> holders = holding(device);
        if (!holders.isEmpty()) {
            return Optional.of(inUse(gpu, holders));
        }
        return Optional.of("GPU " + gpu + " is in use: the nvidia driver refused its unbind lock (a process has "
                + device.orElse("/dev/nvidia<minor>") + " open, and none the agent may read in /proc; "
                + "nvidia-persistenced, DCGM and CUDA jobs do); unbinding it from nvidia " + WAITS + ": stop them "
                + "(fuser -v " + device.orElse("/dev/nvidia*") + " names them) or choose another GPU");
    }

    /** Gives the unbind lock back, while the GPU is still the nvidia driver's (after a refused or undone binding). */
    void unlock(String gpu) {
        if (sysfs.drivers().isBoundTo(gpu, PciDrivers.NVIDIA)) {
            procfs.releaseNvidiaUnbindLock(gpu);
        }
    }

    /**
     * Read-only: why a function going along with the GPU (its HD audio) cannot leave its driver now: a process holds
     * one of its sound cards' devices ({@code <bdf>/sound/card<N>} -> {@code /dev/snd/controlC<N>}, {@code pcmC<N>D*},
     * {@code hwC<N>D*}).
     */
    Optional<String> soundRefusal(String gpu, String function) {
        if (sysfs.drivers().isBoundTo(function, PciDrivers.VFIO_PCI)) {
            return Optional.empty();
        }
        List<String> cards = sysfs.soundCards(function);
        if (cards.isEmpty()) {
            return Optional.empty();
        }
        Pattern devices = Pattern.compile("^/dev/snd/(?:controlC(?:" + String.join("|", cards) + ")|(?:pcmC|hwC)(?:"
                + String.join("|", cards) + ")D[0-9]+[pc]?)$");
        Predicate<String> held = target -> devices.matcher(target).matches();
        List<Procfs.Holder> holders = procfs.holding(held);
        if (holders.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("GPU " + gpu + " cannot be passed through: its function " + function + " (sound card "
                + String.join(", ", cards) + ") is in use: " + describe(holders) + "; unbinding it from "
                + sysfs.drivers().driver(function).orElse("its driver") + " " + WAITS + ": stop them (a sound server "
                + "such as pipewire or pulseaudio: make it leave the card) or choose another GPU");
    }

    private List<Procfs.Holder> nvidiaHolders(String gpu) {
        return holding(nvidiaDevice(gpu));
    }

    private List<Procfs.Holder> holding(Optional<String> device) {
        return device.map(d -> procfs.holding(d::equals)).orElse(List.of());
    }

    private Optional<String> nvidiaDevice(String gpu) {
        OptionalInt minor = procfs.nvidiaDeviceMinor(gpu);
        return minor.isPresent() ? Optional.of("/dev/nvidia" + minor.getAsInt()) : Optional.empty();
    }

    private static String inUse(String gpu, List<Procfs.Holder> holders) {
        return "GPU " + gpu + " is in use: " + describe(holders) + "; unbinding it from nvidia " + WAITS
                + ": stop them (for nvidia-persistenced: systemctl stop nvidia-persistenced, or nvidia-smi -i " + gpu
                + " -pm 0) or choose another GPU";
    }

    private static String describe(List<Procfs.Holder> holders) {
        return holders.stream().map(Procfs.Holder::describe).collect(Collectors.joining(", "));
    }
}
