package io.vgpuhub.web.operator;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The audit trail: slice events and operator actions merged newest first, filtered, paged. */
@OperatorPageTest
@WithUserDetails("olivia")
class AuditPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    OperatorFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new OperatorFixtures(jdbc);
    }

    @Test
    void theKindFilterOffersEveryAuditedFamilyWithItsLabel() throws Exception {
        Properties english = OperatorMessagesTests.load("i18n/operator.properties");
        Set<String> labelled = english.stringPropertyNames().stream().filter(k -> k.startsWith("operator.audit.kind."))
                .map(k -> k.substring("operator.audit.kind.".length())).collect(Collectors.toSet());
        Set<String> actionFamilies = english.stringPropertyNames().stream().filter(k -> k.startsWith("operator.audit.action."))
                .map(k -> k.substring("operator.audit.action.".length()).split("\\.")[0]).collect(Collectors.toSet());

        Assertions.assertThat(AuditTrail.KINDS).containsExactlyInAnyOrderElementsOf(labelled).containsAll(actionFamilies);
        String page = mvc.perform(get("/operator/audit")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        for (String kind : AuditTrail.KINDS) {
            Assertions.assertThat(page).contains("<option value=\"" + kind + "\">"
                    + english.getProperty("operator.audit.kind." + kind).replace("&", "&amp;") + "</option>");
        }
    }

    @Test
    void sliceEventsAndOperatorActionsAreMergedNewestFirst() throws Exception {
        String hostName = OperatorFixtures.unique("audited");
        long host = fixtures.host(hostName, "ONLINE", Duration.ofSeconds(1), null);
        long gpu = fixtures.gpu(host, "A40", "VGPU", false, 2);
        UUID slice = fixtures.slice(gpu, "A40-8Q", "audit-vm", null);
        fixtures.sliceEvent(slice, null, "REQUESTED", "user:alice", "requested A40-8Q for VM audit-vm");
        fixtures.sliceEvent(slice, "PROVISIONING", "READY", "agent:" + hostName, "device created");
        mvc.perform(post("/operator/hosts/{id}/drain", host).with(csrf()));

        String page = mvc.perform(get("/operator/audit").param("host", String.valueOf(host)))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        matchesPattern("(?s).*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*?user:olivia.*?Host drained.*?host\\.drain"
                                + ".*?" + hostName + ".*?was ONLINE.*"),
                        matchesPattern("(?s).*agent:" + hostName + ".*?Slice PROVISIONING → READY.*?audit-vm \\(" + slice
                                + "\\).*?on " + hostName + ".*?tenant Acme Research.*?device created.*"),
                        matchesPattern("(?s).*user:alice.*?Slice requested.*?requested A40-8Q for VM audit-vm.*"))))
                .andReturn().getResponse().getContentAsString();
        Assertions.assertThat(page.indexOf("Host drained")).isLessThan(page.indexOf("Slice PROVISIONING → READY"));
        Assertions.assertThat(page.indexOf("Slice PROVISIONING → READY")).isLessThan(page.indexOf("Slice requested"));
    }

    @Test
    void theTrailFiltersByHostTenantActorAndKind() throws Exception {
        String hostName = OperatorFixtures.unique("filtered");
        long host = fixtures.host(hostName, "ONLINE", Duration.ofSeconds(1), null);
        long gpu = fixtures.gpu(host, "A40", "VGPU", false, 2);
        UUID slice = fixtures.slice(gpu, "A40-8Q", "filter-vm", null);
        fixtures.sliceEvent(slice, "PLACED", "PROVISIONING", "agent:" + hostName, "creating mdev");
        fixtures.auditEvent("user:olivia", "host.drain", hostName, "drained for a BIOS update");
        fixtures.auditEvent("user:olivia", "gpu.mode", hostName + " " + fixtures.pci(gpu), "A40: VGPU -> PASSTHROUGH");
        fixtures.auditEvent("user:olivia", "host.drain", "some-other-host", "elsewhere");
        String quotaTenant = OperatorFixtures.unique("Audited Tenant");
        long tenant = fixtures.tenant(quotaTenant);
        jdbc.sql("insert into audit_event (actor, tenant_id, action, target, detail) values ('user:oscar', ?, 'tenant.quota', ?, 'slices unlimited -> 2')")
                .params(tenant, quotaTenant).update();

        mvc.perform(get("/operator/audit").param("host", String.valueOf(host)))
                .andExpect(content().string(allOf(containsString("creating mdev"), containsString("drained for a BIOS update"),
                        containsString("A40: VGPU -&gt; PASSTHROUGH"), not(containsString("elsewhere")),
                        not(containsString("slices unlimited -&gt; 2")))));
        mvc.perform(get("/operator/audit").param("tenant", String.valueOf(tenant)))
                .andExpect(content().string(allOf(containsString("slices unlimited -&gt; 2"),
                        containsString("tenant " + quotaTenant), not(containsString("creating mdev")))));
        mvc.perform(get("/operator/audit").param("actor", "OSCAR"))
                .andExpect(content().string(allOf(containsString("slices unlimited -&gt; 2"),
                        not(containsString("drained for a BIOS update")))));
        mvc.perform(get("/operator/audit").param("kind", "gpu").param("host", String.valueOf(host)))
                .andExpect(content().string(allOf(containsString("GPU mode set"), not(containsString("creating mdev")),
                        not(containsString("drained for a BIOS update")))));
        mvc.perform(get("/operator/audit").param("kind", "slice").param("host", String.valueOf(host)))
                .andExpect(content().string(allOf(containsString("creating mdev"),
                        not(containsString("drained for a BIOS update")))));
    }

    @Test
    void theTrailIsPagedFiftyEntriesAtATimeKeepingTheFilter() throws Exception {
        String actor = OperatorFixtures.unique("user:pager");
        for (int i = 1; i <= 53; i++) {
            fixtures.auditEvent(actor, "offering.price", "PAGE-" + i, "step " + i);
        }
        String first = mvc.perform(get("/operator/audit").param("actor", actor)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Page 1"), not(containsString("Newer")))))
                .andReturn().getResponse().getContentAsString();
        Assertions.assertThat(count(first, "data-kind=\"offering\"")).isEqualTo(50);
        Matcher older = Pattern.compile("href=\"([^\"]*page=2[^\"]*)\"").matcher(first);
        Assertions.assertThat(older.find()).isTrue();
        Assertions.assertThat(older.group(1)).contains("actor=" + actor);

        String second = mvc.perform(get("/operator/audit").param("actor", actor).param("page", "2"))
                .andExpect(content().string(allOf(containsString("Page 2"), containsString("Newer"),
                        not(containsString("Older")))))
                .andReturn().getResponse().getContentAsString();
        Assertions.assertThat(count(second, "data-kind=\"offering\"")).isEqualTo(3);
    }

    @Test
    void malformedFiltersAreExplainedNotAnError() throws Exception {
        mvc.perform(get("/operator/audit").param("host", "sim-host-1").param("page", "last"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Choose a host from the list."),
                        containsString("The page must be a number."), containsString("No entries match."))));
        mvc.perform(get("/operator/audit").param("page", "-3"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("Page 1")));
        mvc.perform(get("/operator/audit").param("host", "424242"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("No entries match.")));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
