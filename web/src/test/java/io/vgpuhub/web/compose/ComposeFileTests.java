package io.vgpuhub.web.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The docker-compose setup (PostgreSQL + server + a simulated host agent) is well-formed and hangs together:
 * what each service builds, runs, waits for and talks to exists and agrees with the others.
 * Reads the files only: needs neither Docker nor a network.
 */
class ComposeFileTests {

    static Path repoRoot;
    static Map<String, Object> compose;
    static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() throws IOException {
        repoRoot = findRepoRoot();
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Object document = yaml.load(Files.readString(repoRoot.resolve("docker-compose.yml")));
        assertThat(document).as("docker-compose.yml is a YAML mapping").isInstanceOf(Map.class);
        compose = map(document, "docker-compose.yml");
        services = map(compose.get("services"), "services");
    }

    @Test
    void theComposeFileDefinesPostgresTheServerAndTheAgent() {
        assertThat(services).containsKeys("postgres", "server", "agent");
        services.forEach((name, definition) -> {
            Map<String, Object> service = map(definition, "service " + name);
            assertThat(service.containsKey("image") || service.containsKey("build"))
                    .as("service %s names an image or a build", name).isTrue();
        });
    }

    @Test
    void postgresRunsAPinnedPostgres17ImageWithAHealthCheckAndItsDataOnANamedVolume() {
        Map<String, Object> postgres = service("postgres");
        assertThat(string(postgres.get("image"))).matches("postgres:17([.-].*)?");
        assertThat(healthCheckCommand("postgres")).contains("pg_isready");

        List<Mount> mounts = mounts("postgres");
        assertThat(mounts).as("postgres keeps /var/lib/postgresql/data on a named volume")
                .anySatisfy(mount -> {
                    assertThat(mount.target()).isEqualTo("/var/lib/postgresql/data");
                    assertThat(mount.named()).isTrue();
                    assertThat(declaredVolumes()).contains(mount.source());
                });

        Map<String, String> environment = environment("postgres");
        assertThat(environment).containsKeys("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD");
        assertThat(interpolate(environment.get("POSTGRES_PASSWORD"))).isNotBlank();
    }

    @Test
    void theServerAndTheAgentBuildFromTheRepositoryWithDockerfilesThatExist() {
        for (String name : List.of("server", "agent")) {
            Path dockerfile = dockerfileOf(name);
            assertThat(dockerfile).as("Dockerfile of %s", name).isRegularFile();
            Path context = buildContextOf(name);
            assertThat(context.resolve("mvnw")).as("the %s build context is the repository root", name).isRegularFile();
            assertThat(context.resolve("pom.xml")).isRegularFile();
        }
    }

    @Test
    void everyDockerfileBuildsWithTheMavenWrapperInAJdk17AndRunsOnAJre17() throws IOException {
        for (String name : List.of("server", "agent")) {
            List<Stage> stages = stages(dockerfileOf(name));
            assertThat(stages).as("%s Dockerfile is multi-stage", name).hasSizeGreaterThanOrEqualTo(2);
            Stage build = stages.get(0);
            Stage runtime = stages.get(stages.size() - 1);
            assertThat(build.image()).as("%s build image", name).startsWith("eclipse-temurin:17-jdk");
            assertThat(build.text()).as("%s build stage", name).contains("mvnw").contains("package");
            assertThat(runtime.image()).as("%s runtime image (glibc-based)", name)
                    .startsWith("eclipse-temurin:17-jre").doesNotContain("alpine");
            assertThat(runtime.text()).as("%s runtime stage copies the jar from the build stage", name)
                    .containsPattern("COPY\\s+--from=");
            assertThat(runtime.text()).as("%s runtime stage runs a jar", name).containsPattern("\"java\",\\s*\"-jar\"");
            assertThat(runtime.text()).as("%s runs unprivileged", name).containsPattern("(?m)^USER\\s+\\S+");
            for (Stage stage : stages) {
                assertThat(stage.image()).as("%s base images are pinned to a major version", name)
                        .matches("[^:]+:\\d+[^:]*").doesNotEndWith(":latest");
            }
        }
    }

    @Test
    void theServerDockerfileBuildsTheServerJarThatItRuns() throws IOException {
        List<Stage> stages = stages(dockerfileOf("server"));
        assertThat(stages.get(0).text()).contains("-pl web").contains("web/target/vgpuhub-server.jar");
        assertThat(Files.readString(repoRoot.resolve("web/pom.xml")))
                .as("web/pom.xml still names the jar vgpuhub-server.jar").contains("<finalName>vgpuhub-server</finalName>");
        // The host agent (a test dependency of web) compiles its simulator with gcc even when tests are skipped.
        assertThat(stages.get(0).text()).containsPattern("apt-get install[^\\n]*\\bgcc\\b");
    }

    @Test
    void theAgentDockerfileCompilesTheSimulatorWithGccAndRunsTheExecutableJar() throws IOException {
        List<Stage> stages = stages(dockerfileOf("agent"));
        Stage build = stages.get(0);
        assertThat(build.text()).containsPattern("apt-get install[^\\n]*\\bgcc\\b").contains("libc6-dev");
        assertThat(build.text()).contains("-pl host-agent")
                .containsPattern("host-agent/target/vgpuhub-host-agent-\\S*-exec\\.jar");
        assertThat(repoRoot.resolve("host-agent/src/main/c/build.sh")).isRegularFile();
    }

    @Test
    void theServerPublishesPort8080AndItsHealthCheckAsksTheActuator() throws IOException {
        assertThat(containerPorts("server")).contains(8080);

        String healthCheck = healthCheckCommand("server");
        assertThat(healthCheck).contains("localhost:8080/actuator/health");
        String tool = healthCheckTool("server");
        if (tool.equals("curl")) {
            assertThat(healthCheck).as("curl fails on an unhealthy (non-2xx) answer").containsPattern("\\s(-f\\w*|--fail)\\b");
        }
        List<Stage> stages = stages(dockerfileOf("server"));
        assertThat(stages.get(stages.size() - 1).text()).as("the server's runtime image has the health check's tool")
                .containsPattern("apt-get install[^\\n]*\\b" + Pattern.quote(tool) + "\\b");
    }

    @Test
    void theServerWaitsForAHealthyPostgresAndUsesItsDatabaseAndCredentials() {
        assertThat(dependsOn("server")).containsEntry("postgres", "service_healthy");

        Map<String, String> server = environment("server");
        Map<String, String> postgres = environment("postgres");
        String url = interpolate(server.get("SPRING_DATASOURCE_URL"));
        assertThat(url).as("SPRING_DATASOURCE_URL").startsWith("jdbc:postgresql://");
        URI uri = URI.create(url.substring("jdbc:".length()));
        assertThat(uri.getHost()).isEqualTo("postgres");
        assertThat(uri.getPort()).isIn(-1, 5432);
        assertThat(uri.getPath()).isEqualTo("/" + interpolate(postgres.get("POSTGRES_DB")));
        assertThat(interpolate(server.get("SPRING_DATASOURCE_USERNAME"))).isEqualTo(interpolate(postgres.get("POSTGRES_USER")));
        assertThat(interpolate(server.get("SPRING_DATASOURCE_PASSWORD")))
                .isEqualTo(interpolate(postgres.get("POSTGRES_PASSWORD")));
    }

    @Test
    void theAgentWaitsForAHealthyServerAndTalksToTheServerService() throws IOException {
        assertThat(dependsOn("agent")).containsEntry("server", "service_healthy");

        List<String> command = agentCommand();
        assertThat(command).as("agent command").startsWith("run").contains("--simulate");
        URI server = URI.create(optionValue(command, "--server"));
        assertThat(server.getScheme()).isEqualTo("http");
        assertThat(server.getHost()).isEqualTo("server");
        assertThat(containerPorts("server")).contains(server.getPort() == -1 ? 80 : server.getPort());
    }

    @Test
    void theAgentKeepsItsStateDirectoryOnANamedVolume() throws IOException {
        String stateDir = optionValue(agentCommand(), "--state-dir");
        assertThat(mounts("agent")).anySatisfy(mount -> {
            assertThat(mount.target()).isEqualTo(stateDir);
            assertThat(mount.named()).isTrue();
        });
    }

    @Test
    void theServerAndTheAgentShareOneAgentTokenLongEnoughForTheServer() {
        String serverToken = environment("server").get("VGPUHUB_AGENT_TOKEN");
        String agentToken = environment("agent").get("VGPUHUB_AGENT_TOKEN");
        assertThat(serverToken).as("server VGPUHUB_AGENT_TOKEN").isNotNull();
        assertThat(agentToken).as("agent VGPUHUB_AGENT_TOKEN").isEqualTo(serverToken);
        assertThat(interpolate(serverToken)).as("the token used when none is given").hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void everyDependencyNamesADefinedServiceAndEveryHealthyConditionHasAHealthCheck() {
        for (String name : services.keySet()) {
            dependsOn(name).forEach((dependency, condition) -> {
                assertThat(services).as("%s depends on a defined service", name).containsKey(dependency);
                assertThat(condition).isIn("service_started", "service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(service(dependency)).as("%s waits for %s to be healthy", name, dependency)
                            .containsKey("healthcheck");
                    assertThat(map(service(dependency).get("healthcheck"), dependency + ".healthcheck"))
                            .doesNotContainEntry("disable", true);
                }
            });
        }
    }

    @Test
    void everyNamedVolumeInUseIsDeclared() {
        Set<String> used = new LinkedHashSet<>();
        for (String name : services.keySet()) {
            for (Mount mount : mounts(name)) {
                if (mount.named()) {
                    used.add(mount.source());
                }
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(declaredVolumes()).containsAll(used);
    }

    @Test
    void theDockerBuildContextLeavesLocalBuildOutputsOut() throws IOException {
        Path dockerignore = repoRoot.resolve(".dockerignore");
        assertThat(dockerignore).isRegularFile();
        assertThat(Files.readAllLines(dockerignore)).map(String::strip).contains("**/target");
    }

    // ---- reading the compose file ----

    static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name), "service " + name);
    }

    static Set<String> declaredVolumes() {
        Object volumes = compose.get("volumes");
        return volumes == null ? Set.of() : map(volumes, "volumes").keySet();
    }

    /** Environment given as a map or as a list of KEY=VALUE; values raw (not interpolated). */
    static Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> result.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                result.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        } else if (environment != null) {
            fail("environment of %s is neither a map nor a list: %s", name, environment);
        }
        return result;
    }

    /** depends_on as service name to condition; the short (list) form means service_started. */
    static Map<String, String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        Map<String, String> result = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(dependency -> result.put(String.valueOf(dependency), "service_started"));
        } else if (dependsOn instanceof Map<?, ?> entries) {
            entries.forEach((dependency, options) -> {
                Object condition = options instanceof Map<?, ?> o ? o.get("condition") : null;
                result.put(String.valueOf(dependency), condition == null ? "service_started" : String.valueOf(condition));
            });
        } else if (dependsOn != null) {
            fail("depends_on of %s is neither a list nor a map: %s", name, dependsOn);
        }
        return result;
    }

    record Mount(String source, String target, boolean named) {
    }

    /** Volumes in short ("source:target[:mode]") or long ({type, source, target}) syntax. */
    static List<Mount> mounts(String name) {
        Object volumes = service(name).get("volumes");
        List<Mount> result = new ArrayList<>();
        if (volumes == null) {
            return result;
        }
        assertThat(volumes).as("volumes of %s", name).isInstanceOf(List.class);
        for (Object volume : (List<?>) volumes) {
            if (volume instanceof Map<?, ?> entry) {
                String type = String.valueOf(entry.get("type"));
                String source = entry.get("source") == null ? null : String.valueOf(entry.get("source"));
                result.add(new Mount(source, String.valueOf(entry.get("target")), type.equals("volume") && source != null));
            } else {
                String[] parts = String.valueOf(volume).split(":");
                if (parts.length == 1) {
                    result.add(new Mount(null, parts[0], false)); // anonymous volume
                } else {
                    String source = parts[0];
                    boolean bind = source.startsWith("/") || source.startsWith(".") || source.startsWith("~")
                            || source.startsWith("$");
                    result.add(new Mount(source, parts[1], !bind));
                }
            }
        }
        return result;
    }

    /** Container ports the service publishes, from short ("[ip:]host:container[/proto]") or long syntax. */
    static Set<Integer> containerPorts(String name) {
        Object ports = service(name).get("ports");
        Set<Integer> result = new LinkedHashSet<>();
        if (ports == null) {
            return result;
        }
        for (Object port : (List<?>) ports) {
            if (port instanceof Map<?, ?> entry) {
                if (entry.get("published") != null) {
                    result.add(Integer.valueOf(String.valueOf(entry.get("target"))));
                }
            } else {
                String text = String.valueOf(port).replaceFirst("/(tcp|udp)$", "");
                String[] parts = text.split(":");
                if (parts.length >= 2) {
                    result.add(Integer.valueOf(parts[parts.length - 1]));
                }
            }
        }
        return result;
    }

    /** The health check's test as one line of text. */
    static String healthCheckCommand(String name) {
        Map<String, Object> service = service(name);
        assertThat(service).as("service %s has a healthcheck", name).containsKey("healthcheck");
        Object test = map(service.get("healthcheck"), name + ".healthcheck").get("test");
        assertThat(test).as("%s.healthcheck.test", name).isNotNull();
        if (test instanceof List<?> parts) {
            assertThat(parts).as("%s.healthcheck.test", name).isNotEmpty();
            assertThat(String.valueOf(parts.get(0))).isIn("CMD", "CMD-SHELL");
            return String.join(" ", parts.subList(1, parts.size()).stream().map(String::valueOf).toList());
        }
        return String.valueOf(test).replaceFirst("^(CMD-SHELL|CMD)\\s+", "");
    }

    static String healthCheckTool(String name) {
        return healthCheckCommand(name).strip().split("\\s+")[0];
    }

    /** The agent's command as arguments; a string command is split on white space. */
    static List<String> agentCommand() {
        Object command = service("agent").get("command");
        assertThat(command).as("agent command (so that the compose file shows what the agent connects to)").isNotNull();
        if (command instanceof List<?> parts) {
            return parts.stream().map(String::valueOf).toList();
        }
        return Arrays.asList(String.valueOf(command).strip().split("\\s+"));
    }

    static String optionValue(List<String> arguments, String option) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals(option) && i + 1 < arguments.size()) {
                return interpolate(arguments.get(i + 1));
            }
            if (argument.startsWith(option + "=")) {
                return interpolate(argument.substring(option.length() + 1));
            }
        }
        return fail("%s not given in %s", option, arguments);
    }

    static Path buildContextOf(String name) {
        Object build = service(name).get("build");
        assertThat(build).as("service %s builds an image", name).isNotNull();
        String context = build instanceof Map<?, ?> b ? String.valueOf(b.get("context")) : String.valueOf(build);
        Path path = repoRoot.resolve(context).normalize();
        assertThat(path).as("build context of %s", name).isDirectory();
        return path;
    }

    static Path dockerfileOf(String name) {
        Object build = service(name).get("build");
        Object dockerfile = build instanceof Map<?, ?> b ? b.get("dockerfile") : null;
        return buildContextOf(name).resolve(dockerfile == null ? "Dockerfile" : String.valueOf(dockerfile)).normalize();
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    /**
     * The value compose uses when none of the variables is set: {@code ${X:-d}} and {@code ${X-d}} become d,
     * {@code ${X}} becomes empty, {@code $$} a literal dollar. The machine's own environment is ignored on purpose.
     */
    static String interpolate(String value) {
        if (value == null) {
            return null;
        }
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else if (matcher.group(2) != null && matcher.group(2).endsWith("-")) {
                replacement = matcher.group(3);
            } else {
                replacement = "";
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    // ---- reading Dockerfiles ----

    record Stage(String image, String text) {
    }

    /** The Dockerfile's stages in order; continuation lines joined, comments dropped. */
    static List<Stage> stages(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            instructions.add(current.toString().replaceAll("\\s+", " ").strip());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().strip());
        }
        List<Stage> stages = new ArrayList<>();
        String image = null;
        StringBuilder text = new StringBuilder();
        for (String instruction : instructions) {
            if (instruction.regionMatches(true, 0, "FROM ", 0, 5)) {
                if (image != null) {
                    stages.add(new Stage(image, text.toString()));
                }
                String[] words = instruction.split(" ");
                int at = 1;
                while (at < words.length && words[at].startsWith("--")) {
                    at++; // --platform=...
                }
                image = words[at];
                text.setLength(0);
            }
            text.append(instruction).append('\n');
        }
        if (image != null) {
            stages.add(new Stage(image, text.toString()));
        }
        assertThat(stages).as("stages of %s", dockerfile).isNotEmpty();
        return stages;
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    /** Walks up from the working directory (the web module under Maven) to the folder with docker-compose.yml and mvnw. */
    static Path findRepoRoot() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        return fail("no folder with docker-compose.yml and mvnw above %s", Paths.get("").toAbsolutePath());
    }
}
