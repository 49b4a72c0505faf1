package io.vgpuhub.agent.reconcile;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The agent's MIG slice records: {@code <stateDir>/mig/<sliceId>.json}, each replaced atomically (temporary file,
 * fsync, rename, fsync of the directory), so a record is on disk before its slice is reported READY.
 */
public final class MigStore {

    private final JsonRecords<MigRecord> records;

    public MigStore(Path stateDir) {
        this.records = new JsonRecords<>(stateDir.resolve("mig"), MigRecord.class);
    }

    public void save(MigRecord record) {
        records.save(record.sliceId(), record);
    }

    public Optional<MigRecord> find(UUID sliceId) {
        return records.find(sliceId);
    }

    public void delete(UUID sliceId) {
        records.delete(sliceId);
    }

    /** Every readable record, by GPU and placement. Unreadable files are logged and skipped. */
    public List<MigRecord> all() {
        List<MigRecord> all = records.all();
        all.sort(Comparator.comparing(MigRecord::gpuPciAddress).thenComparingInt(MigRecord::start));
        return all;
    }
}
