package io.vgpuhub.web.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** Admission policy per edition and the passthrough edition: shown, changed, audited, bad values refused. */
@LicensesPageTest
@WithUserDetails("leo")
class PoliciesPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    LicenseFixtures fixtures;

    @BeforeEach
    void defaults() {
        fixtures = new LicenseFixtures(jdbc);
        fixtures.clear();
    }

    @Test
    void thePageShowsEachEditionsPolicyAndThePassthroughEdition() throws Exception {
        mvc.perform(get("/licenses/policies")).andExpect(status().isOk()).andExpect(content().string(allOf(
                matchesPattern("(?s).*data-edition=\"VPC\">.*?value=\"REFUSE\" checked=\"checked\".*"),
                matchesPattern("(?s).*id=\"passthrough\".*?value=\"VCS\" checked=\"checked\">.*?\\(current\\).*"))));
    }

    @Test
    void anAdmissionPolicyIsSetAndAudited() throws Exception {
        mvc.perform(post("/licenses/policies/admission").with(csrf()).param("edition", "VPC").param("policy", "ALLOW_UNLICENSED"))
                .andExpect(redirectedUrl("/licenses/policies"))
                .andExpect(flash().attribute("notice", "New slices of VPC are admitted unlicensed (flagged) when no seat is free."));
        assertThat(policy("VPC")).isEqualTo("ALLOW_UNLICENSED");
        assertThat(policy("VWS")).isEqualTo("REFUSE");
        assertThat(fixtures.audits("license.admission-policy")).isEqualTo(1);

        mvc.perform(post("/licenses/policies/admission").with(csrf()).param("edition", "VPC").param("policy", "ALLOW_UNLICENSED"))
                .andExpect(flash().attribute("refusal", "That is already the policy; nothing was changed."));
        assertThat(fixtures.audits("license.admission-policy")).isEqualTo(1);
    }

    @Test
    void thePassthroughEditionIsVwsOrVcsAndAudited() throws Exception {
        mvc.perform(post("/licenses/policies/passthrough").with(csrf()).param("edition", "VWS"))
                .andExpect(flash().attribute("notice", "Passthrough GPUs now need a VWS seat."));
        assertThat(jdbc.sql("select distinct license_edition from offering where kind = 'PASSTHROUGH'").query(String.class)
                .list()).containsExactly("VWS");
        assertThat(fixtures.audits("license.passthrough-edition")).isEqualTo(1);

        mvc.perform(post("/licenses/policies/passthrough").with(csrf()).param("edition", "VPC"))
                .andExpect(flash().attribute("refusal", "VPC cannot license a passthrough GPU; choose vWS or vCS. Nothing was changed."));
        assertThat(jdbc.sql("select distinct license_edition from offering where kind = 'PASSTHROUGH'").query(String.class)
                .list()).containsExactly("VWS");
        assertThat(fixtures.audits("license.passthrough-edition")).isEqualTo(1);
    }

    @Test
    void unknownValuesAreRefusedWithAPageAndChangeNothing() throws Exception {
        long audits = fixtures.allAudits();
        mvc.perform(post("/licenses/policies/admission").with(csrf()).param("edition", "VPC").param("policy", "SOMETIMES"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("“SOMETIMES” is not a valid value for policy.")));
        mvc.perform(post("/licenses/policies/admission").with(csrf()).param("edition", "VPC"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("The request lacks “policy”.")));
        mvc.perform(post("/licenses/policies/passthrough").with(csrf()).param("edition", "GRID"))
                .andExpect(status().isBadRequest());
        assertThat(policy("VPC")).isEqualTo("REFUSE");
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }

    private String policy(String edition) {
        return jdbc.sql("select admission_policy from license_edition where code = ?").param(edition).query(String.class).single();
    }
}
