package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.support.TreeSnapshot;

/** {@code doctor} on the simulated host and on a host without NVIDIA: its lines, its JSON and its exit status. */
class DoctorCommandTests {

    static final String A40 = "gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f vfs=2 audio=on";

    @TempDir
    Path dir;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @Test
    void aReadyHostPrintsEveryCheckOkAndExitsZero() {
        assertThat(doctor(A40 + "\n")).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("Host readiness, checked at ");
        assertThat(lines.get(1)).isEqualTo("Host");
        assertThat(lines.get(2)).matches("  OK    iommu-cmdline   IOMMU is on in the kernel command line \\(intel_iommu=on\\)");
        assertThat(lines).contains("GPU 0000:41:00.0");
        assertThat(lines).anyMatch(l -> l.matches("  OK    iommu-group +IOMMU group 16: passthrough also takes 0000:41:00\\.1 .*"));
        assertThat(lines).noneMatch(l -> l.contains("fix:"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("ready");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void problemsPrintTheirFixUnderThemAndExitOne() {
        assertThat(doctor("vgpu_mgr=stopped\ndriver=vgpu\n" + A40 + " sriov_at_boot=off\n")).isEqualTo(1);

        String text = out.toString();
        assertThat(text).containsPattern("\\n  FAIL  vgpu-manager +nvidia-vgpu-mgr is not running[^\\n]*\\n +fix: systemctl enable --now nvidia-vgpu-mgr");
        assertThat(text).containsPattern("\\n  FAIL  sriov +SR-IOV capable \\(2 VFs\\) but no VF is enabled[^\\n]*\\n +fix: /usr/lib/nvidia/sriov-manage -e 0000:41:00\\.0");
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("2 problem(s), 0 warning(s)");
    }

    @Test
    void warningsAloneLeaveTheHostReady() {
        assertThat(doctor("driver=datacenter\n" + A40 + "\n")).isZero();

        assertThat(out.toString()).contains("  WARN  driver-flavour").contains("fix: for vGPU slices on this GPU, install the NVIDIA vGPU host driver");
        assertThat(out.toString().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("ready (2 warning(s))");
    }

    @Test
    void jsonIsTheReadinessOfTheContractAndDoctorWritesNothing() {
        Path hostFile = SimulatedHosts.hostFile(dir, "iommu=firmware-off\n" + A40 + "\n");
        Path state = dir.resolve("state");
        assertThat(run("doctor", "--simulate=" + hostFile, "--state-dir", state.toString())).isEqualTo(1);
        Map<String, String> before = TreeSnapshot.of(state.resolve("sim/sys"));
        out.getBuffer().setLength(0);

        assertThat(run("doctor", "--json", "--simulate=" + hostFile, "--state-dir", state.toString())).isEqualTo(1);

        JsonNode doc = JsonMapper.builder().build().readTree(out.toString());
        assertThat(doc.propertyNames()).containsExactly("checkedAt", "checks");
        assertThat(doc.get("checkedAt").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        JsonNode cmdline = doc.get("checks").get(0);
        assertThat(cmdline.propertyNames()).containsExactly("scope", "check", "status", "summary");
        assertThat(cmdline.get("scope").asString()).isEqualTo("host");
        assertThat(cmdline.get("check").asString()).isEqualTo("iommu-cmdline");
        assertThat(cmdline.get("status").asString()).isEqualTo("OK");
        JsonNode groups = doc.get("checks").get(1);
        assertThat(groups.propertyNames()).containsExactly("scope", "check", "status", "summary", "fix");
        assertThat(groups.get("status").asString()).isEqualTo("FAIL");
        assertThat(groups.get("fix").asString()).contains("VT-d");
        assertThat(doc.get("checks").valueStream().map(c -> c.get("scope").asString()).distinct().toList())
                .containsExactly("host", "0000:41:00.0");
        assertThat(TreeSnapshot.of(state.resolve("sim/sys"))).isEqualTo(before);
    }

    @Test
    void aHostWithoutNvidiaGetsClearFailLinesAndNoStackTrace() throws Exception {
        Path sys = Files.createDirectories(dir.resolve("bare/sys"));
        Files.createDirectories(dir.resolve("bare/proc"));
        Files.writeString(dir.resolve("bare/proc/cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro\n");

        assertThat(run("doctor", "--sysfs-root=" + sys, "--state-dir", dir.resolve("state").toString(),
                "--nvml-library=vgpuhub-no-such-nvml")).isEqualTo(1);

        assertThat(out.toString()).containsPattern("  FAIL  nvidia-driver +no NVIDIA GPU on this host and no NVIDIA driver")
                .contains("fix: check that the GPUs are seated").contains("  FAIL  iommu-cmdline")
                .doesNotContain("GPU 0000");
        assertThat(out.toString() + err).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aMissingSysfsRootExitsTwoWithTheReason() {
        assertThat(run("doctor", "--sysfs-root=" + dir.resolve("nowhere"), "--state-dir", dir.resolve("state").toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("vgpuhub-agent doctor: cannot run: sysfs root ").contains("nowhere");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theBundledDemoHostIsReady() {
        assertThat(run("doctor", "--simulate", "--state-dir", dir.resolve("state").toString())).isZero();
        assertThat(out.toString()).contains("GPU 0000:65:00.0").endsWith("ready\n");
    }

    private int doctor(String hostFile) {
        Path file = SimulatedHosts.hostFile(dir, hostFile);
        return run("doctor", "--simulate=" + file, "--state-dir", dir.resolve("state").toString());
    }

    private int run(String... args) {
        return AgentCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
