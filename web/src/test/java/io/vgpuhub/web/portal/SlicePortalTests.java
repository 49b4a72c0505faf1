package io.vgpuhub.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The tenant's slices page: who may see it, and how it answers bad or unfulfillable requests. */
@SpringBootTest
@AutoConfigureMockMvc
class SlicePortalTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/slices")).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/login"));
    }

    @Test
    void aWrongPasswordIsRefusedWithAClearMessage() throws Exception {
        mvc.perform(formLogin("/login").user("alice").password("not-the-password"))
                .andExpect(redirectedUrl("/login?error"));
        mvc.perform(get("/login").param("error", ""))
                .andExpect(content().string(Matchers.containsString("Wrong user name or password.")));
    }

    @Test
    void theDemoTenantUserSignsInAndLandsOnTheirSlices() throws Exception {
        mvc.perform(formLogin("/login").user("alice").password("demo")).andExpect(redirectedUrl("/"));
    }

    @Test
    @WithUserDetails("olivia")
    void anOperatorHasNoTenantSlicesPage() throws Exception {
        mvc.perform(get("/slices")).andExpect(status().isForbidden());
    }

    @Test
    @WithUserDetails("olivia")
    void anOperatorSeesTheDemoHostAndThatItsAgentHasNotReportedYet() throws Exception {
        mvc.perform(get("/")).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("href=\"/operator/hosts\"")));
        mvc.perform(get("/operator/hosts")).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("sim-host-1")))
                .andExpect(content().string(Matchers.containsString("OFFLINE")))
                .andExpect(content().string(Matchers.containsString("never")));
    }

    @Test
    @WithUserDetails("alice")
    void aTenantUserHasNoOperatorPages() throws Exception {
        mvc.perform(get("/operator/hosts")).andExpect(status().isForbidden());
    }

    @Test
    @WithUserDetails("alice")
    void aTenantUserSeesTheCatalogAndAnEmptyList() throws Exception {
        mvc.perform(get("/slices")).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("A40-8Q (8 GB · 0.257 USD/h)")))
                .andExpect(content().string(Matchers.containsString("Request a slice")));
    }

    @Test
    @WithUserDetails("alice")
    void anInvalidVmNameIsExplainedAndNothingIsStored() throws Exception {
        long before = slices();
        mvc.perform(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering("A40-8Q")))
                        .param("vmName", "../etc/passwd"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Use 1 to 63 letters, digits")));
        mvc.perform(post("/slices").with(csrf()).param("vmName", "vm-1"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Choose an offering.")));
        mvc.perform(post("/slices").with(csrf()).param("offeringId", "999999").param("vmName", "vm-1"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("That offering is not available.")));
        assertThat(slices()).isEqualTo(before);
    }

    @Test
    @WithUserDetails("alice")
    void aRequestNoGpuCanTakeIsRefusedWithAReasonAndNothingIsStored() throws Exception {
        long before = slices();
        mvc.perform(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering("A40-48Q")))
                        .param("vmName", "big-vm"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("No free capacity for A40-48Q right now")));
        assertThat(slices()).isEqualTo(before);
    }

    @Test
    @WithUserDetails("alice")
    void aFormWithoutCsrfTokenIsRejected() throws Exception {
        mvc.perform(post("/slices").param("offeringId", String.valueOf(offering("A40-8Q"))).param("vmName", "vm-1"))
                .andExpect(status().isForbidden());
    }

    @Test
    @WithUserDetails("alice")
    void releasingASliceThatIsNotTheTenantsIsNotFound() throws Exception {
        mvc.perform(post("/slices/{id}/release", UUID.randomUUID()).with(csrf()))
                .andExpect(status().isNotFound())
                .andExpect(content().string(Matchers.containsString("not yours to see")));
    }

    private long slices() {
        return jdbc.sql("select count(*) from slice").query(Long.class).single();
    }

    private long offering(String code) {
        return jdbc.sql("select id from offering where code = ?").param(code).query(Long.class).single();
    }
}
