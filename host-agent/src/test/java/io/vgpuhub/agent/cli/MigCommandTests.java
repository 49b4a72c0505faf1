package io.vgpuhub.agent.cli;

import static io.vgpuhub.agent.support.SimulatedHosts.A100_80GB_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.H100_PF;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.reconcile.MigRecord;
import io.vgpuhub.agent.reconcile.MigStore;
import io.vgpuhub.agent.support.SimulatedHosts;

/** {@code mig status|create|destroy}, {@code discover} and {@code restore} on the simulated MIG boards. */
class MigCommandTests {

    static final String MIG_DEVICE = "MIG-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path dir;

    Path hostFile;
    Path stateDir;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        hostFile = SimulatedHosts.hostFile(dir, SimulatedHosts.MIG_BOARDS);
        stateDir = dir.resolve("state");
    }

    @Test
    void createMakesTheGpuInstanceAtTheStartAndStatusListsItWithTheFreeCapacity() {
        assertThat(mig("create", "--gpu", H100_PF, "--profile", "3g.40gb", "--start", "4")).isZero();
        assertThat(out.toString()).matches("created GPU instance 1 \\(MIG 3g\\.40gb at 4:4\\) on 0000:65:00\\.0: " + MIG_DEVICE + "\n");
        String uuid = out.toString().strip().replaceAll(".*: ", "");

        clear();
        assertThat(mig("status")).isZero();

        String status = out.toString();
        assertThat(status)
                .contains("GPU 0000:65:00.0 NVIDIA H100 PCIe: MIG enabled\n")
                .containsPattern("\\n    1    MIG 3g\\.40gb      9    4:4       -\\s+" + uuid + "\\n")
                .containsPattern("\\n    MIG 3g\\.40gb      9    1/2        \\{0,4\\}:4\\n")
                .containsPattern("\\n    MIG 7g\\.80gb      0    0/1        \\{0\\}:8\\n")
                .contains("GPU 0000:ca:00.0 NVIDIA A100 80GB PCIe: MIG disabled\n");
        assertThat(status).contains("Free capacity:").contains("GPU instances:\n    none");
    }

    @Test
    void aProfileIdIsAcceptedToo() {
        assertThat(mig("create", "--gpu", H100_PF, "--profile", "5", "--start", "0")).isZero();
        assertThat(out.toString()).startsWith("created GPU instance 1 (MIG 4g.40gb at 0:4)");
    }

    @Test
    void aConflictingPlacementExitsOneWithTheNvmlError() {
        assertThat(mig("create", "--gpu", H100_PF, "--profile", "4g.40gb", "--start", "0")).isZero();

        assertThat(mig("create", "--gpu", H100_PF, "--profile", "3g.40gb", "--start", "0")).isEqualTo(1);
        assertThat(err.toString()).startsWith("vgpuhub-agent: ").contains("NVML_ERROR_INSUFFICIENT_RESOURCES");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void anUnknownProfileOrADisabledGpuExitsOne() {
        assertThat(mig("create", "--gpu", H100_PF, "--profile", "5g.50gb", "--start", "0")).isEqualTo(1);
        assertThat(err.toString()).startsWith("vgpuhub-agent: no MIG profile 5g.50gb on 0000:65:00.0 (profiles: 1g.10gb=19");

        clear();
        assertThat(mig("create", "--gpu", A100_80GB_PF, "--profile", "3g.40gb", "--start", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("MIG is disabled on 0000:ca:00.0");
    }

    @Test
    void destroyRemovesAForeignInstanceButRefusesARecordedOneUnlessForced() {
        mig("create", "--gpu", H100_PF, "--profile", "3g.40gb", "--start", "0");
        mig("create", "--gpu", H100_PF, "--profile", "3g.40gb", "--start", "4");
        UUID slice = UUID.randomUUID();
        new MigStore(stateDir).save(new MigRecord(slice, H100_PF, 9, "MIG 3g.40gb", 4, 4, 2));
        clear();

        assertThat(mig("destroy", "--gpu", H100_PF, "--instance", "2")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("vgpuhub-agent: GPU instance 2 on 0000:65:00.0 (3g.40gb at 4:4) is recorded for slice "
                + slice + "; not destroyed (use --force)\n");

        clear();
        assertThat(mig("destroy", "--gpu", H100_PF, "--instance", "1")).isZero();
        assertThat(out.toString()).isEqualTo("destroyed GPU instance 1 (MIG 3g.40gb at 0:4) on 0000:65:00.0\n");

        clear();
        assertThat(mig("destroy", "--gpu", H100_PF, "--instance", "2", "--force")).isZero();
        assertThat(out.toString()).startsWith("destroyed GPU instance 2 (MIG 3g.40gb at 4:4) on 0000:65:00.0\n");

        clear();
        assertThat(mig("destroy", "--gpu", H100_PF, "--instance", "2")).isEqualTo(1);
        assertThat(err.toString()).contains("NVML_ERROR_NOT_FOUND");
        clear();
        assertThat(mig("status")).isZero();
        assertThat(out.toString()).contains("GPU 0000:65:00.0 NVIDIA H100 PCIe: MIG enabled\n  GPU instances:\n    none\n");
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertThat(mig("create", "--gpu", H100_PF, "--start", "0")).isEqualTo(2);
        assertThat(run("mig")).isEqualTo(2);
    }

    @Test
    void restoreRecreatesTheRecordedInstancesAndStatusShowsTheirSlices() {
        UUID slice = UUID.randomUUID();
        new MigStore(stateDir).save(new MigRecord(slice, H100_PF, 9, "MIG 3g.40gb", 4, 4, 1));

        assertThat(run("restore", "--simulate=" + hostFile, "--state-dir=" + stateDir)).isZero();
        assertThat(out.toString()).containsPattern("restored mig " + slice + " \\(3g\\.40gb at 4:4 on 0000:65:00\\.0\\) as GPU instance 1 " + MIG_DEVICE)
                .contains("restore: 1 MIG instance(s) restored, 0 already present, 0 failed; MIG enabled on 0 GPU(s)");

        clear();
        assertThat(mig("status")).isZero();
        assertThat(out.toString()).containsPattern("\\n    1    MIG 3g\\.40gb      9    4:4       " + slice + " " + MIG_DEVICE);
    }

    @Test
    void discoverShowsTheMigModeAndLayout() {
        mig("create", "--gpu", H100_PF, "--profile", "3g.40gb", "--start", "4");
        clear();

        assertThat(run("discover", "--json", "--simulate=" + hostFile, "--state-dir=" + stateDir)).isZero();

        JsonNode doc = JsonMapper.builder().build().readTree(out.toString());
        assertThat(doc.get("mig").valueStream().map(g -> g.get("pciAddress").asString()))
                .containsExactly("0000:17:00.0", H100_PF, A100_80GB_PF, "0000:e3:00.0");
        JsonNode h100 = doc.get("mig").get(1);
        assertThat(h100.propertyNames()).containsExactly("pciAddress", "currentMode", "pendingMode", "instances", "profiles");
        assertThat(h100.get("currentMode").asString()).isEqualTo("enabled");
        JsonNode gi = h100.get("instances").get(0);
        assertThat(gi.get("gpuInstanceId").asInt()).isEqualTo(1);
        assertThat(gi.get("profile").asString()).isEqualTo("3g.40gb");
        assertThat(gi.get("start").asInt()).isEqualTo(4);
        assertThat(gi.get("size").asInt()).isEqualTo(4);
        assertThat(gi.get("migDeviceUuids").get(0).asString()).matches(MIG_DEVICE);
        JsonNode threeG = h100.get("profiles").valueStream().filter(p -> p.get("name").asString().equals("3g.40gb")).findFirst().orElseThrow();
        assertThat(threeG.get("remainingCapacity").asInt()).isEqualTo(1);
        assertThat(threeG.get("placements").toString()).isEqualTo("[{\"start\":0,\"size\":4},{\"start\":4,\"size\":4}]");
        assertThat(doc.get("mig").get(2).get("currentMode").asString()).isEqualTo("disabled");
        assertThat(doc.get("mig").get(2).get("instances")).isEmpty();

        clear();
        assertThat(run("discover", "--simulate=" + hostFile, "--state-dir=" + stateDir)).isZero();
        assertThat(out.toString()).contains("  MIG:         enabled, 1 GPU instance(s)\n    GI 1: MIG 3g.40gb at 4:4 MIG-")
                .contains("  MIG:         disabled, 0 GPU instance(s)\n");
    }

    private int mig(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "mig";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--simulate=" + hostFile;
        full[args.length + 2] = "--state-dir=" + stateDir;
        return run(full);
    }

    private int run(String... args) {
        return AgentCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }
}
