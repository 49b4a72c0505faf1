package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The shipped systemd units: ordering, and an ExecStart that the agent's own command line accepts. */
class SystemdUnitTests {

    static final Path UNITS = Path.of("src/main/dist/systemd");
    static final String STATE_DIR = "/var/lib/vgpuhub-agent";

    @Test
    void theAgentUnitRunsTheDaemonAfterTheNetworkAndTheVgpuManager() throws IOException {
        Map<String, Map<String, List<String>>> unit = parse(UNITS.resolve("vgpuhub-agent.service"));

        assertThat(words(unit, "Unit", "After")).contains("network-online.target", "nvidia-vgpu-mgr.service");
        assertThat(single(unit, "Service", "Type")).isEqualTo("simple");
        assertThat(single(unit, "Service", "EnvironmentFile")).isEqualTo("/etc/vgpuhub/agent.env");
        assertThat(single(unit, "Service", "Restart")).isEqualTo("on-failure");
        assertThat(single(unit, "Service", "NoNewPrivileges")).isEqualTo("yes");
        assertThat(single(unit, "Service", "ProtectSystem")).isEqualTo("full");
        assertThat(words(unit, "Service", "ReadWritePaths")).contains(STATE_DIR, "/sys");
        assertThat(words(unit, "Install", "WantedBy")).contains("multi-user.target");

        List<String> args = agentArguments(single(unit, "Service", "ExecStart"));
        assertThat(args).startsWith("run").containsSequence("--server", "${VGPUHUB_SERVER}").containsSequence("--state-dir", STATE_DIR);
        CommandLine.ParseResult parsed = parse(args);
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
    }

    @Test
    void theRestoreUnitRunsOnceAtBootBeforeTheAgentAndLibvirt() throws IOException {
        Map<String, Map<String, List<String>>> unit = parse(UNITS.resolve("vgpuhub-agent-restore.service"));

        assertThat(single(unit, "Service", "Type")).isEqualTo("oneshot");
        assertThat(words(unit, "Unit", "Before")).contains("vgpuhub-agent.service", "libvirtd.service");
        assertThat(words(unit, "Unit", "After")).contains("nvidia-vgpu-mgr.service");
        assertThat(words(unit, "Install", "WantedBy")).contains("multi-user.target");
        assertThat(words(unit, "Service", "ReadWritePaths")).contains(STATE_DIR, "/sys");

        List<String> args = agentArguments(single(unit, "Service", "ExecStart"));
        assertThat(args).containsExactly("restore", "--state-dir", STATE_DIR);
        assertThat(parse(args).subcommand().commandSpec().name()).isEqualTo("restore");
    }

    /** The arguments after {@code java -jar <jar>}, which must name the shipped -exec jar. */
    private static List<String> agentArguments(String execStart) {
        List<String> words = Arrays.asList(execStart.trim().split("\\s+"));
        assertThat(words.subList(0, 3)).containsExactly("/usr/bin/java", "-jar", "/opt/vgpuhub/vgpuhub-host-agent-exec.jar");
        return words.subList(3, words.size());
    }

    /** Parses the arguments with the agent's own command line (nothing runs); environment references get a value. */
    private static CommandLine.ParseResult parse(List<String> args) {
        String[] resolved = args.stream().map(a -> a.replace("${VGPUHUB_SERVER}", "https://hub.example:8443")).toArray(String[]::new);
        CommandLine.ParseResult result = new CommandLine(new AgentCli()).parseArgs(resolved);
        assertThat(result.hasSubcommand()).isTrue();
        return result;
    }

    private static String single(Map<String, Map<String, List<String>>> unit, String section, String key) {
        List<String> values = unit.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
        assertThat(values).as("[%s] %s", section, key).hasSize(1);
        return values.get(0);
    }

    private static List<String> words(Map<String, Map<String, List<String>>> unit, String section, String key) {
        List<String> words = new ArrayList<>();
        for (String value : unit.getOrDefault(section, Map.of()).getOrDefault(key, List.of())) {
            words.addAll(Arrays.asList(value.trim().split("\\s+")));
        }
        return words;
    }

    /** systemd's INI dialect, as far as these units use it: sections, Key=Value, repeated keys, # and ; comments. */
    private static Map<String, Map<String, List<String>>> parse(Path file) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        String section = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                sections.putIfAbsent(section, new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(section).as("key outside a section in %s: %s", file, line).isNotNull();
            assertThat(eq).as("not Key=Value in %s: %s", file, line).isPositive();
            sections.get(section).computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        return sections;
    }
}
