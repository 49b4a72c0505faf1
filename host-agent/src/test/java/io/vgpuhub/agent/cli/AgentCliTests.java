package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.support.TreeSnapshot;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
    void discoverJsonHasTheGpusFromNvmlAndTheVfsAndTypesFromSysfs() {
        Path root = SimulatedHosts.bootTwoA40s(dir);
        Path hostFile = dir.resolve("host.conf");
        new io.vgpuhub.agent.sysfs.Sysfs(root, io.vgpuhub.agent.sysfs.KernelFiles.load("vgpusim"))
                .createMdev("0000:41:00.4", "nvidia-557", java.util.UUID.randomUUID());
        Map<String, String> before = TreeSnapshot.of(root);

        assertThat(run("discover", "--json", "--simulate=" + hostFile, "--sysfs-root=" + root)).isZero();

        JsonNode doc = JsonMapper.builder().build().readTree(out.toString());
        assertThat(doc.propertyNames()).containsExactly("driverVersion", "gpus", "pciGpus", "vgpuTypes", "sriov", "mdevParents", "mig");
        assertThat(doc.get("gpus")).hasSize(2);
        JsonNode gpu = doc.get("gpus").get(0);
        assertThat(gpu.propertyNames()).containsExactly("index", "name", "uuid", "pciAddress", "pciDeviceId", "memoryTotalMib", "memoryUsedMib",
                "migCapable", "sriov", "driver");
        assertThat(gpu.get("migCapable").asBoolean()).isFalse();
        assertThat(gpu.get("sriov").asBoolean()).isTrue();
        assertThat(gpu.get("driver").asString()).isEqualTo("nvidia");
        assertThat(doc.get("pciGpus").get(0).toString())
                .isEqualTo("{\"address\":\"0000:41:00.0\",\"driver\":\"nvidia\",\"driverOverride\":null,\"nvml\":true}");
        JsonNode vgpuTypes = doc.get("vgpuTypes").get(0);
        assertThat(vgpuTypes.get("pciAddress").asString()).isEqualTo(SimulatedHosts.A40_PF);
        assertThat(vgpuTypes.get("types")).hasSize(19);
        assertThat(vgpuTypes.get("types").valueStream().filter(t -> t.get("profile").asString().equals("A40-8Q")).findFirst().orElseThrow()
                .propertyNames()).containsExactly("id", "name", "profile", "typeClass", "framebufferMib", "maxInstances", "license");
        assertThat(gpu.get("name").asString()).isEqualTo("NVIDIA A40");
        assertThat(gpu.get("uuid").asString()).isEqualTo(SimulatedHosts.A40_UUID);
        assertThat(gpu.get("pciAddress").asString()).isEqualTo(SimulatedHosts.A40_PF);
        assertThat(gpu.get("pciDeviceId").asLong()).isEqualTo(0x223510DEL);
        assertThat(gpu.get("memoryTotalMib").asLong()).isEqualTo(46068);
        JsonNode sriov = doc.get("sriov").get(1);
        assertThat(sriov.get("pf").asString()).isEqualTo(SimulatedHosts.SECOND_A40_PF);
        assertThat(sriov.get("totalVfs").asInt()).isEqualTo(4);
        assertThat(sriov.get("numVfs").asInt()).isEqualTo(4);
        assertThat(sriov.get("vfs").valueStream().map(JsonNode::asString))
                .containsExactly("0000:c1:00.4", "0000:c1:00.5", "0000:c1:00.6", "0000:c1:00.7");
        assertThat(doc.get("mdevParents")).hasSize(20);
        JsonNode vf0 = doc.get("mdevParents").get(0);
        assertThat(vf0.get("address").asString()).isEqualTo("0000:41:00.4");
        assertThat(vf0.get("physicalFunction").asString()).isEqualTo(SimulatedHosts.A40_PF);
        JsonNode type = vf0.get("types").valueStream().filter(t -> t.get("profile").asString().equals("A40-8Q")).findFirst().orElseThrow();
        assertThat(type.propertyNames()).containsExactly("id", "name", "profile", "availableInstances", "framebufferMib", "maxInstances");
        assertThat(type.get("id").asString()).isEqualTo("nvidia-557");
        assertThat(type.get("name").asString()).isEqualTo("NVIDIA A40-8Q");
        assertThat(type.get("availableInstances").asInt()).isZero();
        assertThat(type.get("framebufferMib").asLong()).isEqualTo(8192);
        assertThat(type.get("maxInstances").asInt()).isEqualTo(6);
        JsonNode vf1 = doc.get("mdevParents").get(1);
        assertThat(vf1.get("types").valueStream().filter(t -> t.get("id").asString().equals("nvidia-557")).findFirst().orElseThrow()
                .get("availableInstances").asInt()).isEqualTo(1);
        assertThat(TreeSnapshot.of(root)).as("discover is read-only").isEqualTo(before);
    }

    @Test
    void discoverShowsAPassedThroughGpuThatNvmlNoLongerListsAndStaysReadOnly() {
        Path root = dir.resolve("sys");
        Path hostFile = SimulatedHosts.hostFile(dir, SimulatedHosts.ALL_KINDS);
        io.vgpuhub.agent.sim.SimulatedHost.boot(hostFile, root);
        var drivers = new io.vgpuhub.agent.sysfs.Sysfs(root, io.vgpuhub.agent.sysfs.KernelFiles.load("vgpusim")).drivers();
        drivers.setDriverOverride(SimulatedHosts.H100_PF, "vfio-pci");
        drivers.unbind(SimulatedHosts.H100_PF);
        drivers.probe(SimulatedHosts.H100_PF);
        Map<String, String> before = TreeSnapshot.of(root);

        assertThat(run("discover", "--json", "--simulate=" + hostFile, "--sysfs-root=" + root)).isZero();

        JsonNode doc = JsonMapper.builder().build().readTree(out.toString());
        assertThat(doc.get("gpus").valueStream().map(g -> g.get("pciAddress").asString()))
                .containsExactly(SimulatedHosts.A40_PF, SimulatedHosts.A100_80GB_PF);
        JsonNode h100 = doc.get("pciGpus").valueStream().filter(g -> g.get("address").asString().equals(SimulatedHosts.H100_PF))
                .findFirst().orElseThrow();
        assertThat(h100.toString()).isEqualTo("{\"address\":\"0000:65:00.0\",\"driver\":\"vfio-pci\",\"driverOverride\":\"vfio-pci\",\"nvml\":false}");
        assertThat(doc.get("gpus").get(1).get("migCapable").asBoolean()).isTrue();
        assertThat(doc.get("vgpuTypes").get(1).get("types")).as("the A100 runs no time-sliced vGPU here").isEmpty();

        out.getBuffer().setLength(0);
        assertThat(run("discover", "--simulate=" + hostFile, "--sysfs-root=" + root)).isZero();
        assertThat(out.toString()).contains("GPU at 0000:65:00.0: not in NVML, bound to vfio-pci")
                .contains("vGPU types:  19 (A40-1B, A40-2B,").contains("vGPU types:  none");
        assertThat(TreeSnapshot.of(root)).as("discover is read-only").isEqualTo(before);
    }

    @Test
    void discoverJsonWithoutASysfsTreeListsNoVfsOrTypes() {
        Path hostFile = SimulatedHosts.hostFile(dir, SimulatedHosts.TWO_A40S);

        assertThat(run("discover", "--json", "--simulate=" + hostFile, "--state-dir=" + dir.resolve("none"))).isZero();

        JsonNode doc = JsonMapper.builder().build().readTree(out.toString());
        assertThat(doc.get("gpus")).hasSize(2);
        assertThat(doc.get("sriov")).isEmpty();
        assertThat(doc.get("mdevParents")).isEmpty();
        assertThat(dir.resolve("none")).doesNotExist();
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
