package io.vgpuhub.agent.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/** The agent's slice records on local disk; one JSON file per slice, replaced atomically. */
public final class SliceStore {

    private final Path dir;
    private final JsonMapper json = JsonMapper.builder().build();

    public SliceStore(Path stateDir) {
        this.dir = stateDir.resolve("slices");
    }

    public void save(SliceRecord record) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(record.sliceId() + ".json.tmp");
            Files.writeString(tmp, json.writeValueAsString(record));
            try {
                Files.move(tmp, file(record.sliceId()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(record.sliceId()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the slice record of " + record.sliceId(), e);
        }
    }

    public boolean contains(UUID sliceId) {
        return Files.exists(file(sliceId));
    }

    public void delete(UUID sliceId) {
        try {
            Files.deleteIfExists(file(sliceId));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete the slice record of " + sliceId, e);
        }
    }

    public List<SliceRecord> all() {
        List<SliceRecord> records = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                records.add(json.readValue(Files.readString(f), SliceRecord.class));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read slice records in " + dir, e);
        }
        return records;
    }

    private Path file(UUID sliceId) {
        return dir.resolve(sliceId + ".json");
    }
}
