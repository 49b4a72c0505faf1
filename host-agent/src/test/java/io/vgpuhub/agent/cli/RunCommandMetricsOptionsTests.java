package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import io.vgpuhub.agent.AgentSettings;

/** {@code run --metrics-address/--metrics-port}: local by default, 0 turns the endpoint off, bad values are refused. */
class RunCommandMetricsOptionsTests {

    @Test
    void theEndpointIsLocalOnPort9464UnlessToldOtherwise() {
        CommandLine.Model.CommandSpec run = parse("run", "--server", "http://hub:8080").subcommand().commandSpec();
        assertThat(run.findOption("--metrics-address").<String>getValue()).isEqualTo("127.0.0.1");
        assertThat(run.findOption("--metrics-port").<Integer>getValue()).isEqualTo(9464);

        run = parse("run", "--server", "http://hub:8080", "--metrics-address", "0.0.0.0", "--metrics-port", "0")
                .subcommand().commandSpec();
        assertThat(run.findOption("--metrics-address").<String>getValue()).isEqualTo("0.0.0.0");
        assertThat(run.findOption("--metrics-port").<Integer>getValue()).isZero();
    }

    @Test
    void settingsRefuseAPortOutOfRangeAndKeepTheEndpointOffUnlessAsked() {
        AgentSettings settings = AgentSettings.real(URI.create("http://hub:8080"), "t", Path.of("/tmp/state"));
        assertThat(settings.metricsEnabled()).isFalse();
        assertThat(settings.toString()).contains("metrics=off");
        assertThat(settings.withMetrics("127.0.0.1", 9464).toString()).contains("metrics=127.0.0.1:9464");
        assertThatThrownBy(() -> settings.withMetrics("127.0.0.1", 65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metricsPort");
        assertThatThrownBy(() -> settings.withMetrics("127.0.0.1", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withMetrics(" ", 9464)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metricsAddress");
    }

    private static CommandLine.ParseResult parse(String... args) {
        return new CommandLine(new AgentCli()).parseArgs(args);
    }
}
