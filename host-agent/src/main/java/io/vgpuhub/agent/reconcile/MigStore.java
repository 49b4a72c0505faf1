package io.vgpuhub.agent.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's MIG slice records: {@code <stateDir>/mig/<sliceId>.json}, each replaced atomically (temporary file,
 * fsync, rename, fsync of the directory), so a record is on disk before its slice is reported READY.
 */
public final class MigStore {

    private static final Logger log = LoggerFactory.getLogger(MigStore.class);

    private final Path dir;
    private final JsonMapper json = JsonMapper.builder().build();

    public MigStore(Path stateDir) {
        this.dir = stateDir.resolve("mig");
    }

    public Path dir() {
        return dir;
    }

    public void save(MigRecord record) {
        DurableFiles.writeAtomically(file(record.sliceId()), json.writeValueAsString(record));
    }

    public Optional<MigRecord> find(UUID sliceId) {
        Path file = file(sliceId);
        return Files.isRegularFile(file) ? Optional.ofNullable(read(file)) : Optional.empty();
    }

    public void delete(UUID sliceId) {
        DurableFiles.deleteDurably(file(sliceId));
    }

    /** Every readable record, by GPU and placement. Unreadable files are logged and skipped. */
    public List<MigRecord> all() {
        List<MigRecord> records = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return records;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : stream) {
                if (!file.getFileName().toString().startsWith(".")) {
                    MigRecord record = read(file);
                    if (record != null) {
                        records.add(record);
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        records.sort(Comparator.comparing(MigRecord::gpuPciAddress).thenComparingInt(MigRecord::start));
        return records;
    }

    private MigRecord read(Path file) {
        try {
            return json.readValue(Files.readString(file), MigRecord.class);
        }
        catch (IOException | JacksonException e) {
            log.warn("ignoring unreadable MIG record {}: {}", file, e.getMessage());
            return null;
        }
    }

    private Path file(UUID sliceId) {
        return dir.resolve(sliceId + ".json");
    }
}
