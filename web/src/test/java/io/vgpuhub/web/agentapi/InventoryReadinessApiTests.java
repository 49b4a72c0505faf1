package io.vgpuhub.web.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The readiness checks in the agent's inventory report: stored with the inventory, in one transaction, shown to the
 * operator; a report without them leaves the host "not reported"; an invalid one is refused and changes nothing.
 */
@AgentApiTest
class InventoryReadinessApiTests {

    private static final String HOST_OK = """
            {"scope": "host", "check": "iommu-cmdline", "status": "OK",
             "summary": "IOMMU is on in the kernel command line (intel_iommu=on)"}""";
    private static final String SRIOV_FAIL = """
            {"scope": "0000:41:00.0", "check": "sriov", "status": "FAIL",
             "summary": "SR-IOV capable (32 VFs) but no VF is enabled",
             "fix": "/usr/lib/nvidia/sriov-manage -e 0000:41:00.0, and enable the nvidia-sriov unit so it runs at boot"}""";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    @Autowired
    UserDetailsService users;

    @Test
    void readinessIsStoredWithTheInventoryAndTheOperatorSeesItOnTheHostPage() throws Exception {
        Host host = fixtures.host();
        mvc.perform(host.put("/inventory", report(AgentApiFixtures.gpuUuid(), "0.4.0", readiness(HOST_OK, SRIOV_FAIL))))
                .andExpect(status().isNoContent());

        assertThat(readinessOf(host)).containsEntry("checked_at",
                OffsetDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC));
        assertThat(jdbc.sql("""
                select c ->> 'scope' || ' ' || (c ->> 'check') || ' ' || (c ->> 'status')
                from host h, jsonb_array_elements(h.readiness) c where h.id = ?
                """).param(host.id()).query(String.class).list())
                .containsExactly("host iommu-cmdline OK", "0000:41:00.0 sriov FAIL");

        mvc.perform(get("/operator/hosts/{id}", host.id()).with(user(users.loadUserByUsername("olivia"))))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("Not ready: 1 check fails"),
                        matchesPattern("(?s).*GPU 0000:41:00\\.0 \\(A40\\).*SR-IOV virtual functions.*Fails.*"
                                + "SR-IOV capable \\(32 VFs\\) but no VF is enabled.*"
                                + "<code>/usr/lib/nvidia/sriov-manage -e 0000:41:00.0, and enable the nvidia-sriov unit.*"))));
        mvc.perform(get("/operator/hosts").with(user(users.loadUserByUsername("olivia"))))
                .andExpect(content().string(matchesPattern(
                        "(?s).*data-host=\"" + host.name() + "\">.*?readiness-FAIL.*?>1 problem</a>.*")));
    }

    @Test
    void aReportWithoutReadinessLeavesTheHostNotReportedEvenAfterAnEarlierOneHadIt() throws Exception {
        Host host = fixtures.host();
        String uuid = AgentApiFixtures.gpuUuid();
        mvc.perform(host.put("/inventory", report(uuid, "0.4.0", readiness(HOST_OK)))).andExpect(status().isNoContent());
        assertThat(readinessOf(host).get("checks")).isNotNull();

        mvc.perform(host.put("/inventory", report(uuid, "0.3.0", null))).andExpect(status().isNoContent());

        assertThat(readinessOf(host)).containsEntry("checks", null).containsEntry("checked_at", null);
        assertThat(agentVersion(host)).as("the rest of the report is stored").isEqualTo("0.3.0");
        mvc.perform(get("/operator/hosts").with(user(users.loadUserByUsername("olivia"))))
                .andExpect(content().string(matchesPattern(
                        "(?s).*data-host=\"" + host.name() + "\">.*?readiness-NOT_REPORTED.*?>Not reported</a>.*")));
    }

    @Test
    void aHostWithAsManyGpusAsAReportMayListHasItsInventoryAndEveryCheckStored() throws Exception {
        Host host = fixtures.host();
        int gpus = AgentApiMessages.MAX_GPUS;
        List<String> checks = new ArrayList<>();
        for (String id : List.of("iommu-cmdline", "iommu-groups", "vfio-modules", "nvidia-driver", "vgpu-manager")) {
            checks.add(HOST_OK.replace("iommu-cmdline", id));
        }
        StringJoiner gpuReports = new StringJoiner(", ");
        for (int i = 0; i < gpus; i++) {
            String address = "0000:%02x:00.0".formatted(0x10 + i);
            gpuReports.add("""
                    {"pciAddress": "%s", "uuid": "%s", "name": "NVIDIA A40", "memoryMib": 46068, "mode": "VGPU",
                     "virtualFunctions": []}""".formatted(address, AgentApiFixtures.gpuUuid()));
            for (String id : List.of("driver-flavour", "gpu-driver", "sriov", "vf-drivers", "mig", "iommu-group")) {
                checks.add(SRIOV_FAIL.replace("0000:41:00.0", address).replace("\"sriov\"", "\"" + id + "\""));
            }
        }
        assertThat(checks).as("5 host-wide checks and 6 per GPU, as the agent sends them")
                .hasSize(AgentApiMessages.MAX_READINESS_CHECKS);

        mvc.perform(host.put("/inventory", """
                {"agentVersion": "0.4.0", "gpus": [%s], "foreignDevices": [], "readiness": %s}
                """.formatted(gpuReports, readiness(checks.toArray(String[]::new))))).andExpect(status().isNoContent());

        assertThat(jdbc.sql("select count(*) from gpu where host_id = ?").param(host.id()).query(Long.class).single())
                .isEqualTo(gpus);
        assertThat(jdbc.sql("select jsonb_array_length(readiness) from host where id = ?").param(host.id())
                .query(Integer.class).single()).isEqualTo(AgentApiMessages.MAX_READINESS_CHECKS);
    }

    static Stream<Arguments> invalidReadiness() {
        String longSummary = "x".repeat(301);
        String longFix = "y".repeat(501);
        String tooMany = IntStream.range(0, AgentApiMessages.MAX_READINESS_CHECKS + 1).mapToObj(i -> HOST_OK)
                .collect(Collectors.joining(", "));
        return Stream.of(
                Arguments.of("an unknown status", readiness(HOST_OK.replace("\"OK\"", "\"BROKEN\"")),
                        "readiness.checks[0].status must be OK, WARN or FAIL"),
                Arguments.of("a summary past 300 characters", readiness(SRIOV_FAIL.replace(
                        "SR-IOV capable (32 VFs) but no VF is enabled", longSummary)), "readiness.checks[0].summary size must be between 0 and 300"),
                Arguments.of("a fix past 500 characters", readiness(SRIOV_FAIL.replaceFirst("\"fix\": \"[^\"]*\"",
                        "\"fix\": \"" + longFix + "\"")), "readiness.checks[0].fix size must be between 0 and 500"),
                Arguments.of("a scope that is neither host nor a PCI address", readiness(HOST_OK.replace("\"host\"", "\"gpu0\"")),
                        "readiness.checks[0].scope must be host or a PCI address like 0000:41:00.0"),
                Arguments.of("a check id that is not kebab-case", readiness(HOST_OK.replace("iommu-cmdline", "IOMMU_cmdline")),
                        "readiness.checks[0].check must be a kebab-case check id"),
                Arguments.of("a check id past 40 characters", readiness(HOST_OK.replace("iommu-cmdline", "a".repeat(41))),
                        "readiness.checks[0].check size must be between 0 and 40"),
                Arguments.of("no summary", readiness(HOST_OK.replaceFirst(",\\s*\"summary\": \"[^\"]*\"", "")),
                        "readiness.checks[0].summary must not be blank"),
                Arguments.of("more checks than the most GPUs a report may list can have", readiness(tooMany),
                        "readiness.checks size must be between 0 and " + AgentApiMessages.MAX_READINESS_CHECKS),
                Arguments.of("no time of the checks", "{\"checks\": [" + HOST_OK + "]}", "readiness.checkedAt must not be null"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("invalidReadiness")
    void anInvalidReadinessRefusesTheWholeReportAndKeepsThePreviousInventoryAndReadiness(String what, String readiness,
            String problem) throws Exception {
        Host host = fixtures.host();
        String uuid = AgentApiFixtures.gpuUuid();
        mvc.perform(host.put("/inventory", report(uuid, "0.4.0", readiness(SRIOV_FAIL)))).andExpect(status().isNoContent());
        Map<String, Object> before = readinessOf(host);

        mvc.perform(host.put("/inventory", report(uuid, "0.5.0", readiness).replace("\"NVIDIA A40\"", "\"NVIDIA L40S\"")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(allOf(containsString(problem), containsString("nothing was stored"))));

        assertThat(readinessOf(host)).isEqualTo(before);
        assertThat(agentVersion(host)).isEqualTo("0.4.0");
        assertThat(jdbc.sql("select model from gpu where uuid = ?").param(uuid).query(String.class).single()).isEqualTo("A40");
    }

    private Map<String, Object> readinessOf(Host host) {
        return jdbc.sql("select readiness::text as checks, readiness_checked_at as checked_at from host where id = ?")
                .param(host.id()).query((rs, n) -> {
                    Map<String, Object> row = new HashMap<>();
                    row.put("checks", rs.getString("checks"));
                    row.put("checked_at", rs.getObject("checked_at", OffsetDateTime.class));
                    return row;
                }).single();
    }

    private String agentVersion(Host host) {
        return jdbc.sql("select agent_version from host where id = ?").param(host.id()).query(String.class).single();
    }

    private static String readiness(String... checks) {
        return "{\"checkedAt\": \"2026-11-24T12:00:00Z\", \"checks\": [" + String.join(", ", checks) + "]}";
    }

    /** An A40 at 0000:41:00.0, with the readiness object given as JSON (null: the field left out, as older agents do). */
    private static String report(String uuid, String agentVersion, String readiness) {
        return """
                {"agentVersion": "%s", "gpus": [{"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "NVIDIA A40",
                  "memoryMib": 46068, "mode": "VGPU", "virtualFunctions": []}], "foreignDevices": []%s}
                """.formatted(agentVersion, uuid, readiness == null ? "" : ", \"readiness\": " + readiness);
    }
}
