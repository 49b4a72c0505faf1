package io.vgpuhub.agent.reconcile;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The agent's passthrough records: {@code <stateDir>/passthrough/<sliceId>.json}, each replaced atomically. */
public final class PassthroughStore {

    private final JsonRecords<PassthroughRecord> records;

    public PassthroughStore(Path stateDir) {
        this.records = new JsonRecords<>(stateDir.resolve("passthrough"), PassthroughRecord.class);
    }

    public void save(PassthroughRecord record) {
        records.save(record.sliceId(), record);
    }

    public Optional<PassthroughRecord> find(UUID sliceId) {
        return records.find(sliceId);
    }

    public void delete(UUID sliceId) {
        records.delete(sliceId);
    }

    /** Every readable record, by GPU. */
    public List<PassthroughRecord> all() {
        List<PassthroughRecord> all = records.all();
        all.sort(Comparator.comparing(PassthroughRecord::gpuPciAddress).thenComparing(PassthroughRecord::sliceId));
        return all;
    }

    /** The record of the slice passed through on this GPU, if any. */
    public Optional<PassthroughRecord> onGpu(String gpuPciAddress) {
        return all().stream().filter(r -> r.gpuPciAddress().equals(gpuPciAddress)).findFirst();
    }
}
