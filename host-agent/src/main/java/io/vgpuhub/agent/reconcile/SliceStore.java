package io.vgpuhub.agent.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.sysfs.SysfsNames;
import io.vgpuhub.agent.sysfs.UnsafeSysfsPathException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's slice records on local disk. Every slice is two files, each replaced atomically (temporary file, fsync,
 * rename, fsync of the directory):
 * <ul>
 * <li>{@code <stateDir>/mdevctl.d/<parent>/<uuid>}: the mdev definition in mdevctl's format
 * ({@code {"mdev_type":"nvidia-557","start":"auto","attrs":[]}}), so that an operator can copy the folder to
 * {@code /etc/mdevctl.d} and mdevctl accepts it;</li>
 * <li>{@code <stateDir>/slices/<uuid>.json}: the {@link SliceRecord} with the vGPU Hub extras (kind, GPU, vGPU type,
 * origin, framework).</li>
 * </ul>
 * Vendor-VFIO slices ({@link SliceRecord#usesVendorVfio()}) are not mdevs and have only the record.
 * A save writes the record first and the mdevctl file second; a delete goes the other way. Reading accepts either file
 * alone: a {@code slices/*.json} without its mdevctl file (written by agents before 0.2, or a crash between the two
 * writes) loads as it is and {@link #migrate()} writes the missing file; an mdevctl file without its record (the agent
 * never leaves one behind, so an operator put it there) loads with the fields mdevctl knows, as an operator's mdev
 * ({@link SliceRecord#ORIGIN_CLI}): restored after a reboot, never removed by the reconciler.
 */
public final class SliceStore {

    private static final Logger log = LoggerFactory.getLogger(SliceStore.class);

    private final Path slicesDir;
    private final Path mdevctlDir;
    private final JsonMapper json = JsonMapper.builder().build();

    public SliceStore(Path stateDir) {
        this.slicesDir = stateDir.resolve("slices");
        this.mdevctlDir = stateDir.resolve("mdevctl.d");
    }

    /** {@code <stateDir>/mdevctl.d}: copy it to {@code /etc/mdevctl.d} to hand the definitions to mdevctl. */
    public Path mdevctlDir() {
        return mdevctlDir;
    }

    /** The mdevctl file of a slice: {@code <stateDir>/mdevctl.d/<parent>/<uuid>}. */
    public Path mdevctlFile(String parent, UUID uuid) {
        return mdevctlDir.resolve(SysfsNames.pciAddress(parent)).resolve(SysfsNames.uuid(uuid));
    }

    public void save(SliceRecord record) {
        String parent = SysfsNames.pciAddress(record.parent());
        String type = SysfsNames.typeId(record.mdevTypeId());
        DurableFiles.writeAtomically(recordFile(record.sliceId()), json.writeValueAsString(record) + "\n");
        if (record.usesVendorVfio()) {
            // Not an mdev: mdevctl must not get a definition it would try to start.
            for (Path stale : mdevctlFiles(record.sliceId())) {
                DurableFiles.deleteDurably(stale);
            }
            return;
        }
        // A changed parent leaves no stale definition behind for mdevctl to start on the old parent.
        for (Path stale : mdevctlFiles(record.sliceId())) {
            if (!stale.getParent().getFileName().toString().equals(parent)) {
                DurableFiles.deleteDurably(stale);
            }
        }
        DurableFiles.writeAtomically(mdevctlFile(parent, record.sliceId()), MdevctlConfig.autostart(type).toJson());
    }

    public boolean contains(UUID sliceId) {
        return Files.exists(recordFile(sliceId)) || !mdevctlFiles(sliceId).isEmpty();
    }

    public Optional<SliceRecord> find(UUID sliceId) {
        Path record = recordFile(sliceId);
        if (Files.exists(record)) {
            return Optional.of(readRecord(record));
        }
        return mdevctlFiles(sliceId).stream()
                .filter(f -> SysfsNames.isPciAddress(f.getParent().getFileName().toString()))
                .findFirst()
                .map(f -> readMdevctl(f, sliceId));
    }

    public void delete(UUID sliceId) {
        for (Path f : mdevctlFiles(sliceId)) {
            DurableFiles.deleteDurably(f);
        }
        DurableFiles.deleteDurably(recordFile(sliceId));
    }

    /** Every recorded slice, ordered by UUID. */
    public List<SliceRecord> all() {
        Map<UUID, SliceRecord> records = new LinkedHashMap<>();
        for (Path f : list(slicesDir)) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".json") || name.startsWith(".")) {
                continue;
            }
            SliceRecord r = readRecord(f);
            records.put(r.sliceId(), r);
        }
        for (Path parentDir : list(mdevctlDir)) {
            String parent = parentDir.getFileName().toString();
            if (!SysfsNames.isPciAddress(parent) || !Files.isDirectory(parentDir)) {
                continue;
            }
            for (Path f : list(parentDir)) {
                UUID uuid = uuidOrNull(f.getFileName().toString());
                if (uuid == null || records.containsKey(uuid)) {
                    continue;
                }
                records.put(uuid, readMdevctl(f, uuid));
            }
        }
        List<SliceRecord> sorted = new ArrayList<>(records.values());
        sorted.sort(Comparator.comparing(SliceRecord::sliceId));
        return sorted;
    }

    /**
     * Writes the mdevctl file of every VGPU record that lacks one (records of agents before 0.2). Returns how many were
     * written.
     */
    public int migrate() {
        int written = 0;
        for (SliceRecord r : all()) {
            if (DesiredState.VGPU.equals(r.kind()) && !r.usesVendorVfio() && !Files.exists(mdevctlFile(r.parent(), r.sliceId()))) {
                DurableFiles.writeAtomically(mdevctlFile(r.parent(), r.sliceId()), MdevctlConfig.autostart(SysfsNames.typeId(r.mdevTypeId())).toJson());
                log.info("wrote the mdevctl definition of recorded slice {} ({})", r.sliceId(), r.parent());
                written++;
            }
        }
        return written;
    }

    private SliceRecord readRecord(Path f) {
        try {
            return json.readValue(Files.readString(f), SliceRecord.class);
        }
        catch (IOException | JacksonException e) {
            throw new IllegalStateException("cannot read the slice record " + f + ": " + e.getMessage(), e);
        }
    }

    /** An mdevctl file without its record: an operator's mdev, with the fields mdevctl knows. */
    private SliceRecord readMdevctl(Path f, UUID uuid) {
        String parent = f.getParent().getFileName().toString();
        try {
            MdevctlConfig config = MdevctlConfig.parse(Files.readString(f), json);
            return new SliceRecord(uuid, DesiredState.VGPU, null, parent, config.mdevType(), null, SliceRecord.ORIGIN_CLI);
        }
        catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the mdevctl file " + f + ": " + e.getMessage(), e);
        }
    }

    private Path recordFile(UUID sliceId) {
        return slicesDir.resolve(sliceId + ".json");
    }

    private List<Path> mdevctlFiles(UUID sliceId) {
        List<Path> found = new ArrayList<>();
        for (Path parentDir : list(mdevctlDir)) {
            Path f = parentDir.resolve(sliceId.toString());
            if (Files.isRegularFile(f)) {
                found.add(f);
            }
        }
        return found;
    }

    private static UUID uuidOrNull(String name) {
        try {
            return SysfsNames.parseUuid(name);
        }
        catch (UnsafeSysfsPathException e) {
            return null;
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        entries.sort(Comparator.naturalOrder());
        return entries;
    }
}
