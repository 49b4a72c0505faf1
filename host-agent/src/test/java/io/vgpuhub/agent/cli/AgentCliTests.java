package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.support.SimulatedHosts;

class AgentCliTests {

    @TempDir
    Path dir;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @Test
    void discoverPrintsTheSimulatedInventory() {
        Path hostFile = SimulatedHosts.hostFile(dir, SimulatedHosts.TWO_A40S);

        assertThat(run("discover", "--simulate=" + hostFile)).isZero();

        assertThat(out.toString())
                .contains("2 GPU(s)")
                .contains("GPU 0: NVIDIA A40")
                .contains("UUID:        " + SimulatedHosts.A40_UUID)
                .contains("PCI bus id:  0000:41:00.0 (device id 0x223510DE)")
                .contains("Memory:      531 MiB used / 46068 MiB total")
                .containsPattern("Utilization: gpu \\d+ %, memory \\d+ %");
    }

    @Test
    void discoverWithoutAFileUsesTheBundledDemoHost() {
        assertThat(run("discover", "--simulate")).isZero();
        assertThat(out.toString()).contains("GPU 1: NVIDIA A40").contains("0000:c1:00.0");
    }

    @Test
    void aBrokenHostFileIsARuntimeFailureWithAOneLineReason() {
        Path hostFile = SimulatedHosts.hostFile(dir, "gpu pci=0000:41:00.0 model=Z9000 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f\n");

        assertThat(run("discover", "--simulate=" + hostFile)).isEqualTo(1);
        assertThat(err.toString()).startsWith("vgpuhub-agent: simulated host file").contains("line 1: unknown model 'Z9000'");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("run")).isEqualTo(2);
        assertThat(err.toString()).contains("--server");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("run", "--server", "http://localhost:8080", "--sample-interval", "soon")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
    }

    private int run(String... args) {
        return AgentCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
