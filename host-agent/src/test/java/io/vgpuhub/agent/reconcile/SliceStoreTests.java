package io.vgpuhub.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The on-disk format: mdevctl's own files plus the vGPU Hub record, atomic replacement, and records of older agents. */
class SliceStoreTests {

    static final String GPU = "0000:41:00.0";
    static final String VF0 = "0000:41:00.4";
    static final String VF1 = "0000:41:00.5";

    @TempDir
    Path stateDir;

    @Test
    void aSavedSliceIsAnMdevctlDefinitionPlusTheVgpuHubRecord() throws Exception {
        UUID slice = UUID.fromString("7f1c3e3a-2b4d-4c6e-9a1b-0c2d3e4f5a6b");
        new SliceStore(stateDir).save(new SliceRecord(slice, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q"));

        Path mdevctl = stateDir.resolve("mdevctl.d/0000:41:00.4/7f1c3e3a-2b4d-4c6e-9a1b-0c2d3e4f5a6b");
        assertThat(Files.readString(mdevctl)).isEqualTo("{\"mdev_type\":\"nvidia-557\",\"start\":\"auto\",\"attrs\":[]}\n");
        JsonNode record = JsonMapper.builder().build().readTree(Files.readString(stateDir.resolve("slices").resolve(slice + ".json")));
        assertThat(record.get("sliceId").asString()).isEqualTo(slice.toString());
        assertThat(record.get("kind").asString()).isEqualTo("VGPU");
        assertThat(record.get("gpuPciAddress").asString()).isEqualTo(GPU);
        assertThat(record.get("parent").asString()).isEqualTo(VF0);
        assertThat(record.get("mdevTypeId").asString()).isEqualTo("nvidia-557");
        assertThat(record.get("vgpuType").asString()).isEqualTo("A40-8Q");
        assertThat(record.get("origin").asString()).isEqualTo("server");
        try (Stream<Path> files = Files.walk(stateDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void theMdevctlFileIsWhatMdevctlItselfRequires() throws Exception {
        UUID slice = UUID.randomUUID();
        SliceStore store = new SliceStore(stateDir);
        store.save(new SliceRecord(slice, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q"));

        JsonNode config = JsonMapper.builder().build().readTree(Files.readString(store.mdevctlFile(VF0, slice)));
        assertThat(config.propertyNames()).containsExactly("mdev_type", "start", "attrs");
        assertThat(config.get("attrs").isArray()).isTrue();
        assertThat(config.get("attrs")).isEmpty();
        assertThat(store.mdevctlDir()).isEqualTo(stateDir.resolve("mdevctl.d"));
    }

    @Test
    void savingAgainReplacesBothFilesAndMovesTheDefinitionWithItsParent() throws Exception {
        UUID slice = UUID.randomUUID();
        SliceStore store = new SliceStore(stateDir);
        store.save(new SliceRecord(slice, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q"));
        store.save(new SliceRecord(slice, "VGPU", GPU, VF1, "nvidia-555", "A40-4Q"));

        assertThat(store.mdevctlFile(VF0, slice)).doesNotExist();
        assertThat(Files.readString(store.mdevctlFile(VF1, slice))).contains("\"nvidia-555\"");
        assertThat(store.all()).containsExactly(new SliceRecord(slice, "VGPU", GPU, VF1, "nvidia-555", "A40-4Q"));
    }

    @Test
    void deleteRemovesBothFiles() {
        UUID slice = UUID.randomUUID();
        SliceStore store = new SliceStore(stateDir);
        store.save(new SliceRecord(slice, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q"));

        store.delete(slice);

        assertThat(store.contains(slice)).isFalse();
        assertThat(store.all()).isEmpty();
        assertThat(store.mdevctlFile(VF0, slice)).doesNotExist();
        assertThat(stateDir.resolve("slices").resolve(slice + ".json")).doesNotExist();
    }

    @Test
    void recordsOfOlderAgentsStillLoadAndGetTheirMdevctlDefinitionOnMigration() throws Exception {
        UUID slice = UUID.randomUUID();
        Files.createDirectories(stateDir.resolve("slices"));
        // Exactly what agent 0.1 wrote: no origin field and no mdevctl file.
        Files.writeString(stateDir.resolve("slices").resolve(slice + ".json"), "{\"sliceId\":\"" + slice
                + "\",\"kind\":\"VGPU\",\"gpuPciAddress\":\"" + GPU + "\",\"parent\":\"" + VF0
                + "\",\"mdevTypeId\":\"nvidia-557\",\"vgpuType\":\"A40-8Q\"}");
        SliceStore store = new SliceStore(stateDir);

        assertThat(store.all()).containsExactly(new SliceRecord(slice, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q", null));
        assertThat(store.all().get(0).fromServer()).isTrue();
        assertThat(store.contains(slice)).isTrue();

        assertThat(store.migrate()).isEqualTo(1);
        assertThat(Files.readString(store.mdevctlFile(VF0, slice))).isEqualTo("{\"mdev_type\":\"nvidia-557\",\"start\":\"auto\",\"attrs\":[]}\n");
        assertThat(store.migrate()).isZero();
    }

    @Test
    void anMdevctlDefinitionWithoutItsRecordLoadsAsAnOperatorsMdev() throws Exception {
        UUID slice = UUID.randomUUID();
        Path file = stateDir.resolve("mdevctl.d").resolve(VF1).resolve(slice.toString());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\n  \"mdev_type\": \"nvidia-557\",\n  \"start\": \"manual\",\n  \"attrs\": []\n}\n");

        assertThat(new SliceStore(stateDir).all()).containsExactly(new SliceRecord(slice, "VGPU", null, VF1, "nvidia-557", null, SliceRecord.ORIGIN_CLI));
        assertThat(new SliceStore(stateDir).all().get(0).fromServer()).as("never removed by the reconciler").isFalse();
    }
}
