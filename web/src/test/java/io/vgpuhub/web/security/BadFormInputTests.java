package io.vgpuhub.web.security;

import static io.vgpuhub.web.security.BadInputTests.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.Map;

import io.vgpuhub.web.agentapi.AgentApiFixtures;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

import org.springframework.mock.web.MockHttpServletResponse;

import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Injection strings in the text fields of the portal's forms: refused with a form error that shows the value escaped
 * (and nothing changed), or stored as typed and shown escaped on every page that lists it. Same application and
 * database as {@link BadInputTests}, whose fingerprint says whether anything changed.
 */
@SpringBootTest(properties = { "vgpuhub.test.database=badinput", "vgpuhub.lifecycle.check-interval=1h" })
@AutoConfigureMockMvc
@Import(AgentApiFixtures.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadFormInputTests extends AuthzTestSupport {

    static final String SQL = "' or 1=1 --";
    static final String ESCAPED_SCRIPT = "&lt;script&gt;alert(";

    AuthzFixtures fixtures;
    long offering;

    @BeforeAll
    void everyone() throws Exception {
        fixtures = new AuthzFixtures(mvc, jdbc, tokens, agents, hostToken);
        offering = jdbc.sql("select min(id) from offering where enabled").query(Long.class).single();
    }

    @ParameterizedTest
    @ValueSource(strings = { SCRIPT, SQL, "../../etc/passwd", "vm\u0000name", "%00", "vm name with spaces",
            "a-name-far-longer-than-the-sixty-three-characters-a-vm-name-may-have-in-this-portal-at-all" })
    void aVmNameThatIsNoNameIsRefusedOnTheForm(String vmName) throws Exception {
        MockHttpServletResponse page = refusedOnTheForm(Who.ALICE, post("/slices").param("offeringId", String.valueOf(offering))
                .param("vmName", vmName).param("count", "1"));
        assertThat(page.getContentAsString()).contains("class=\"error\"");
    }

    @Test
    void aCostCentreOrCountThatIsNoneIsRefusedOnTheSliceForm() throws Exception {
        refusedOnTheForm(Who.ALICE, post("/slices").param("offeringId", String.valueOf(offering)).param("vmName", "vm-bad-1")
                .param("count", "1").param("costCentre", SQL));
        refusedOnTheForm(Who.ALICE, post("/slices").param("offeringId", SQL).param("vmName", "vm-bad-1").param("count", "1"));
        refusedOnTheForm(Who.ALICE, post("/slices").param("offeringId", String.valueOf(offering)).param("vmName", "vm-bad-1")
                .param("count", "99999999999999999999"));
    }

    @Test
    void entitlementTextIsStoredAsTypedAndShownEscaped() throws Exception {
        String reference = "PO " + SQL + " " + System.nanoTime();
        MockHttpServletResponse created = mvc.perform(fixtures.as(Who.LEO, post("/licenses/entitlements").with(csrf())
                .param("edition", "VWS").param("seats", "1").param("validFrom", "2026-01-01")
                .param("orderReference", reference).param("notes", SCRIPT))).andReturn().getResponse();
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(302);
        assertThat(jdbc.sql("select notes from license_entitlement where order_reference = ?").param(reference)
                .query(String.class).single()).isEqualTo(SCRIPT);
        long id = jdbc.sql("select id from license_entitlement where order_reference = ?").param(reference).query(Long.class).single();
        shownEscaped(Who.LEO, "/licenses/entitlements/" + id);
        assertThat(page(Who.LEO, "/licenses/entitlements")).contains("PO &#39; or 1=1 --");
    }

    @Test
    void entitlementDatesNumbersAndEditionsThatAreNoneAreRefusedOnTheForm() throws Exception {
        Map<String, String> good = Map.of("edition", "VWS", "seats", "1", "validFrom", "2026-01-01", "orderReference", "PO-bad");
        for (Map.Entry<String, String> bad : Map.of("validFrom", "2026-02-30", "validUntil", SCRIPT, "seats", SQL,
                "edition", SCRIPT).entrySet()) {
            Map<String, String> fields = new java.util.HashMap<>(good);
            fields.put(bad.getKey(), bad.getValue());
            MockHttpServletRequestBuilder request = post("/licenses/entitlements");
            fields.forEach(request::param);
            refusedOnTheForm(Who.LEO, request);
        }
    }

    @Test
    void aCostCentreCodeThatIsNoCodeIsRefusedAndANameIsShownEscaped() throws Exception {
        String centres = "/finance/cost-centres/" + fixtures.acme;
        refusedOnTheForm(Who.FIONA, post(centres).param("code", SCRIPT).param("name", "Render farm"));
        refusedOnTheForm(Who.FIONA, post(centres).param("code", SQL).param("name", "Render farm"));
        refusedOnTheForm(Who.FIONA, post(centres).param("code", "CC-NUL").param("name", "nul\u0000name"));
        MockHttpServletResponse named = mvc.perform(fixtures.as(Who.FIONA, post(centres).with(csrf())
                .param("code", "CC-" + (System.nanoTime() % 100000)).param("name", SCRIPT))).andReturn().getResponse();
        assertThat(named.getStatus()).as(named.getContentAsString()).isEqualTo(302);
        shownEscaped(Who.FIONA, centres);
    }

    @Test
    void anOfferingDescriptionIsShownEscapedToOperatorsAndTenants() throws Exception {
        String code = jdbc.sql("select code from offering where id = ?").param(offering).query(String.class).single();
        MockHttpServletResponse saved = mvc.perform(fixtures.as(Who.OLIVIA, post("/operator/offerings/" + offering).with(csrf())
                .param("pricePerHour", "1.5").param("description", SCRIPT))).andReturn().getResponse();
        assertThat(saved.getStatus()).as(saved.getContentAsString()).isEqualTo(302);
        shownEscaped(Who.OLIVIA, "/operator/offerings/" + offering);
        shownEscaped(Who.ALICE, "/catalog");
        assertThat(code).isNotBlank();
        refusedOnTheForm(Who.OLIVIA, post("/operator/offerings/" + offering).param("pricePerHour", SQL).param("description", "x"));
    }

    @Test
    void tenantAdminUserAndTokenNamesThatAreNoNamesAreRefusedOnTheForm() throws Exception {
        refusedOnTheForm(Who.TOM, post("/tenant-admin/users").param("username", SCRIPT).param("displayName", "X")
                .param("password", "long enough password").param("roles", "TENANT_USER"));
        refusedOnTheForm(Who.TOM, post("/tenant-admin/users").param("username", "bad1").param("displayName", "X")
                .param("password", "long enough password").param("roles", SQL));
        refusedOnTheForm(Who.TOM, post("/tenant-admin/tokens").param("name", SCRIPT).param("validForDays", "30"));
        refusedOnTheForm(Who.TOM, post("/tenant-admin/tokens").param("name", "ci").param("validForDays", SQL));
    }

    @Test
    void aDisplayNameIsStoredAsTypedAndShownEscaped() throws Exception {
        String username = "mallory" + (System.nanoTime() % 100000);
        MockHttpServletResponse created = mvc.perform(fixtures.as(Who.TOM, post("/tenant-admin/users").with(csrf())
                .param("username", username).param("displayName", SCRIPT).param("password", "long enough password")
                .param("roles", "TENANT_USER"))).andReturn().getResponse();
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(302);
        shownEscaped(Who.TOM, "/tenant-admin");
    }

    /** A refusal re-renders the form (200) with the value escaped and an error; nothing was stored. */
    private MockHttpServletResponse refusedOnTheForm(Who who, MockHttpServletRequestBuilder request) throws Exception {
        String before = BadInputTests.fingerprint(jdbc);
        MockHttpServletResponse response = mvc.perform(fixtures.as(who, request.with(csrf()))).andReturn().getResponse();
        String body = response.getContentAsString();
        assertThat(response.getStatus()).as(body).isIn(200, 400);
        assertThat(body).doesNotContain("<script>alert(").contains("class=\"error\"");
        assertThat(BadInputTests.fingerprint(jdbc)).as("what the refused form changed").isEqualTo(before);
        return response;
    }

    private void shownEscaped(Who who, String path) throws Exception {
        assertThat(page(who, path)).doesNotContain("<script>alert(").contains(ESCAPED_SCRIPT);
    }

    private String page(Who who, String path) throws Exception {
        MockHttpServletResponse response = mvc.perform(fixtures.as(who, get(path))).andReturn().getResponse();
        assertThat(response.getStatus()).as(path).isEqualTo(200);
        return response.getContentAsString();
    }
}
