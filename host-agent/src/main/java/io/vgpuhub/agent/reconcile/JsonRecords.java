package io.vgpuhub.agent.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON record per slice in a directory, {@code <dir>/<sliceId>.json}, each replaced atomically through
 * {@link DurableFiles} so that a record is on disk before its slice is reported READY. Unreadable files are logged and
 * skipped.
 */
final class JsonRecords<T> {

    private static final Logger log = LoggerFactory.getLogger(JsonRecords.class);

    private final Path dir;
    private final Class<T> type;
    private final JsonMapper json = JsonMapper.builder().build();

    JsonRecords(Path dir, Class<T> type) {
        this.dir = dir;
        this.type = type;
    }

    void save(UUID sliceId, T record) {
        DurableFiles.writeAtomically(file(sliceId), json.writeValueAsString(record));
    }

    Optional<T> find(UUID sliceId) {
        Path file = file(sliceId);
        return Files.isRegularFile(file) ? Optional.ofNullable(read(file)) : Optional.empty();
    }

    void delete(UUID sliceId) {
        DurableFiles.deleteDurably(file(sliceId));
    }

    /** Every readable record, in no particular order. */
    List<T> all() {
        List<T> records = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return records;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : stream) {
                if (!file.getFileName().toString().startsWith(".")) {
                    T record = read(file);
                    if (record != null) {
                        records.add(record);
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return records;
    }

    private T read(Path file) {
        try {
            return json.readValue(Files.readString(file), type);
        }
        catch (IOException | JacksonException e) {
            log.warn("ignoring unreadable record {}: {}", file, e.getMessage());
            return null;
        }
    }

    private Path file(UUID sliceId) {
        return dir.resolve(sliceId + ".json");
    }
}
