package io.vgpuhub.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.slice.ObservedState;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceLifecycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The tenant REST API's slices, over MockMvc against the real database: each endpoint's happy path, its refusals as
 * problem details, and that one tenant's token never reaches another tenant's slices.
 */
// Its own context (so its own database): these tests bring an online A40 host, which other tests' capacity must not see.
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlicesApiTests {

    private static final String HOST = "api-slices-host";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokens apiTokens;

    @Autowired
    SliceLifecycle lifecycle;

    ApiFixtures fixtures;
    long tenantA;
    String tokenA;
    String tokenB;
    long hostId;

    @BeforeAll
    void twoTenantsAndAHost() {
        fixtures = new ApiFixtures(jdbc, apiTokens);
        tenantA = fixtures.tenant("Slices API A");
        long tenantB = fixtures.tenant("Slices API B");
        tokenA = fixtures.token(tenantA, fixtures.user(tenantA, "slices-api-a"));
        tokenB = fixtures.token(tenantB, fixtures.user(tenantB, "slices-api-b"));
        hostId = fixtures.onlineA40Host(HOST, 8);
    }

    @BeforeEach
    void hostKeepsReporting() {
        fixtures.keepHostsReporting();
    }

    /** Every test starts with the host's GPU empty (six A40-8Q at most). */
    @AfterEach
    void releaseEverythingOnTheHost() {
        record Live(UUID uuid, long tenantId, long requestedBy) {
        }
        jdbc.sql("""
                select s.uuid, s.tenant_id, s.requested_by from slice s join gpu g on g.id = s.gpu_id
                where g.host_id = ? and s.state <> 'RELEASED'
                """).param(hostId).query(Live.class).list().forEach(live -> {
            lifecycle.release(new Requester(live.tenantId(), live.requestedBy(), "test"), live.uuid());
            lifecycle.observe(hostId, HOST, live.uuid(), ObservedState.ABSENT, null, null);
        });
    }

    @Test
    void requestingByCodeAnswers201WithTheSliceAndItsLocation() throws Exception {
        String body = requestSlices(tokenA, """
                {"offeringCode": "A40-8Q", "vmName": "render-01"}""")
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.LOCATION, matchesPattern("http://localhost/api/v1/slices/[0-9a-f-]{36}")))
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].vmName").value("render-01"))
                .andExpect(jsonPath("$[0].offeringCode").value("A40-8Q"))
                .andExpect(jsonPath("$[0].kind").value("VGPU"))
                .andExpect(jsonPath("$[0].state").value("PLACED"))
                .andExpect(jsonPath("$[0].host").value(HOST))
                .andExpect(jsonPath("$[0].attach").doesNotExist())
                .andExpect(jsonPath("$[0].createdAt", matchesPattern("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z")))
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$[0].id");
        assertThat(jdbc.sql("""
                select e.actor from slice_event e join slice s on s.id = e.slice_id
                where s.uuid = ?::uuid and e.to_state = 'REQUESTED'
                """).param(id).query(String.class).single()).startsWith("token:t-");
    }

    @Test
    void requestingByIdForTwoSlicesPlacesBothForTheVm() throws Exception {
        requestSlices(tokenA, """
                {"offeringId": %d, "vmName": "train-02", "count": 2}""".formatted(fixtures.offering("A40-8Q")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$", hasSize(2)))
                .andExpect(jsonPath("$[*].vmName", hasItem("train-02")))
                .andExpect(jsonPath("$[1].state").value("PLACED"));
    }

    @Test
    void slicesBillToTheCostCentreNamedOrTheRootAndAnotherTenantsCodeIsRefusedWithNothingWritten() throws Exception {
        long tenantB = fixtures.tenant("Slices API B");
        jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select tenant_id, id, :code, 'From the API tests' from cost_centre where tenant_id = :tenant and parent_id is null
                on conflict (tenant_id, code) do nothing""").param("code", "CC-API").param("tenant", tenantA).update();
        jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select tenant_id, id, :code, 'Tenant B only' from cost_centre where tenant_id = :tenant and parent_id is null
                on conflict (tenant_id, code) do nothing""").param("code", "CC-B-ONLY").param("tenant", tenantB).update();

        String billed = JsonPath.read(requestSlices(tokenA, """
                {"offeringCode": "A40-8Q", "vmName": "cc-01", "costCentre": " cc-api "}""")
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$[0].id");
        String root = JsonPath.read(requestSlices(tokenA, """
                {"offeringCode": "A40-8Q", "vmName": "cc-02", "costCentre": ""}""")
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$[0].id");
        assertThat(costCentreOf(billed)).isEqualTo("CC-API");
        assertThat(costCentreOf(root)).isEqualTo("TENANT-" + tenantA);

        long slices = fixtures.slices();
        for (String code : new String[] { "CC-B-ONLY", "NO-SUCH-CC" }) {
            requestSlices(tokenA, """
                    {"offeringCode": "A40-8Q", "vmName": "cc-03", "costCentre": "%s"}""".formatted(code))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("costCentre"))
                    .andExpect(jsonPath("$.errors[0].message").value("Your tenant has no cost centre " + code
                            + ". Leave costCentre out to bill your tenant's root cost centre; your provider's finance "
                            + "team keeps the list."));
        }
        assertThat(fixtures.slices()).isEqualTo(slices);
    }

    private String costCentreOf(String sliceId) {
        return jdbc.sql("select c.code from slice s join cost_centre c on c.id = s.cost_centre_id where s.uuid = ?::uuid")
                .param(sliceId).query(String.class).single();
    }

    @Test
    void theListHoldsTheTenantsSlicesAndNoneOfAnotherTenant() throws Exception {
        String id = requestOne(tokenA, "list-a");
        api(get("/api/v1/slices"), tokenA).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", hasItem(id)));
        api(get("/api/v1/slices"), tokenB).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", not(hasItem(id))));
    }

    @Test
    void aReadySliceShowsTheMdevUuidTheHostdevElementAndTheVirtualFunction() throws Exception {
        String id = requestOne(tokenA, "ready-vm");
        lifecycle.observe(hostId, HOST, UUID.fromString(id), ObservedState.READY, null, null);
        api(get("/api/v1/slices/{id}", id), tokenA).andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("READY"))
                .andExpect(jsonPath("$.readyAt").isNotEmpty())
                .andExpect(jsonPath("$.attach.mdevUuid").value(id))
                .andExpect(jsonPath("$.attach.libvirtHostdev", containsString("<address uuid='" + id + "'/>")))
                .andExpect(jsonPath("$.attach.libvirtHostdev", containsString("type='mdev'")))
                .andExpect(jsonPath("$.attach.pciAddress", matchesPattern("0000:41:0[12]\\.[0-7]")))
                .andExpect(jsonPath("$.attach.migDeviceUuid").doesNotExist());
    }

    @Test
    void anotherTenantsSliceIsNotFoundAndCannotBeReleased() throws Exception {
        String id = requestOne(tokenA, "private-vm");
        api(get("/api/v1/slices/{id}", id), tokenB).andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Slice not found"));
        api(delete("/api/v1/slices/{id}", id), tokenB).andExpect(status().isNotFound());
        assertThat(state(id)).isEqualTo("PLACED");
    }

    @Test
    void anUnknownSliceIsNotFound() throws Exception {
        api(get("/api/v1/slices/{id}", UUID.randomUUID()), tokenA).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.detail", containsString("in your tenant")));
    }

    @Test
    void releasingAnswers202AndReleasingAgainChangesNothing() throws Exception {
        String id = requestOne(tokenA, "short-lived");
        api(delete("/api/v1/slices/{id}", id), tokenA).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.state").value("RELEASED"));
        long events = events(id);
        api(delete("/api/v1/slices/{id}", id), tokenA).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("RELEASED"));
        assertThat(events(id)).isEqualTo(events);
    }

    @Test
    void releasingAReadySliceAsksTheHostToRemoveIt() throws Exception {
        String id = requestOne(tokenA, "ready-then-gone");
        lifecycle.observe(hostId, HOST, UUID.fromString(id), ObservedState.READY, null, null);
        api(delete("/api/v1/slices/{id}", id), tokenA).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("RELEASING"))
                .andExpect(jsonPath("$.attach").doesNotExist());
        assertThat(jdbc.sql("""
                select e.actor from slice_event e join slice s on s.id = e.slice_id
                where s.uuid = ?::uuid and e.to_state = 'RELEASING'
                """).param(id).query(String.class).single()).startsWith("token:t-");
    }

    @Test
    void aMalformedSliceIdIsABadRequestNotAnError() throws Exception {
        api(get("/api/v1/slices/not-a-uuid"), tokenA).andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Malformed sliceId"))
                .andExpect(jsonPath("$.detail", containsString("not a slice id")));
        api(delete("/api/v1/slices/12345"), tokenA).andExpect(status().isBadRequest());
    }

    @Test
    void malformedJsonIsABadRequestAndStoresNothing() throws Exception {
        long before = fixtures.slices();
        requestSlices(tokenA, "{\"offeringCode\": \"A40-8Q\", ").andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Malformed request body"));
        requestSlices(tokenA, "").andExpect(status().isBadRequest());
        requestSlices(tokenA, """
                {"offeringCode": "A40-8Q", "vmName": "vm", "count": "two"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("count"));
        assertThat(fixtures.slices()).isEqualTo(before);
    }

    @Test
    void invalidFieldsAreListedAndNothingIsStored() throws Exception {
        long before = fixtures.slices();
        requestSlices(tokenA, """
                {"offeringCode": "A40-8Q", "vmName": "../etc/passwd", "count": 0}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.errors[?(@.field == 'vmName')].message", hasItem(containsString("1 to 63 letters"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'count')].message", hasItem("Ask for at least 1 slice.")));
        requestSlices(tokenA, """
                {"offeringCode": "A40-8Q", "count": 17}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", hasItem("vmName")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("count")));
        assertThat(fixtures.slices()).isEqualTo(before);
    }

    @Test
    void theOfferingIsNamedExactlyOnce() throws Exception {
        requestSlices(tokenA, """
                {"vmName": "vm-1"}""").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("offeringId"))
                .andExpect(jsonPath("$.errors[0].message").value("Give exactly one of offeringId and offeringCode."));
        requestSlices(tokenA, """
                {"offeringId": %d, "offeringCode": "A40-8Q", "vmName": "vm-1"}""".formatted(fixtures.offering("A40-8Q")))
                .andExpect(status().isBadRequest());
    }

    @Test
    void anUnknownOfferingIsABadRequestNamingTheField() throws Exception {
        long before = fixtures.slices();
        requestSlices(tokenA, """
                {"offeringCode": "A40-99Q", "vmName": "vm-1"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("offeringCode"))
                .andExpect(jsonPath("$.detail", containsString("Your tenant has no offering A40-99Q")));
        requestSlices(tokenA, """
                {"offeringId": 999999, "vmName": "vm-1"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("offeringId"));
        assertThat(fixtures.slices()).isEqualTo(before);
    }

    @Test
    void anOfferingReservedForAnotherTenantCannotBeRequested() throws Exception {
        long tenantC = fixtures.tenant("Slices API C");
        long offering = fixtures.offering("A40-6Q");
        jdbc.sql("insert into offering_tenant (offering_id, tenant_id) values (?, ?) on conflict do nothing")
                .params(offering, tenantC).update();
        requestSlices(tokenA, """
                {"offeringCode": "A40-6Q", "vmName": "vm-1"}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("offeringCode"));
    }

    @Test
    void aRequestNoGpuCanTakeIsAConflictAndReservesNothing() throws Exception {
        long before = fixtures.slices();
        requestSlices(tokenA, """
                {"offeringCode": "L40S-4Q", "vmName": "vm-1"}""")
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:vgpuhub:problem:no-capacity"))
                .andExpect(jsonPath("$.title").value("No capacity"))
                .andExpect(jsonPath("$.detail", containsString("No free capacity for L40S-4Q")));
        // Sixteen would never fit on the one A40, so the count is all or nothing: not even the ones that would fit are placed.
        requestSlices(tokenA, """
                {"offeringCode": "A40-8Q", "vmName": "vm-many", "count": 16}""")
                .andExpect(status().isConflict());
        assertThat(fixtures.slices()).isEqualTo(before);
    }

    @Test
    void aRequestPastTheQuotaIsAConflictThatSaysWhichLimitAndByHowMuch() throws Exception {
        long tenant = fixtures.tenant("Slices API quota");
        String token = fixtures.token(tenant, fixtures.user(tenant, "slices-api-quota"));
        jdbc.sql("update tenant set quota_max_slices = 1 where id = ?").param(tenant).update();
        requestOne(token, "first");
        long before = fixtures.slices();
        requestSlices(token, """
                {"offeringCode": "A40-8Q", "vmName": "second", "count": 2}""")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:vgpuhub:problem:quota-exceeded"))
                .andExpect(jsonPath("$.title").value("Quota exceeded"))
                .andExpect(jsonPath("$.limit").value("SLICES"))
                .andExpect(jsonPath("$.allowed").value(1))
                .andExpect(jsonPath("$.inUse").value(1))
                .andExpect(jsonPath("$.requested").value(2));
        assertThat(fixtures.slices()).isEqualTo(before);
    }

    @Test
    void requestsTheApiDoesNotSpeakAreRefusedWithTheRightStatusNotAnError() throws Exception {
        api(post("/api/v1/slices").contentType(MediaType.TEXT_PLAIN).content("A40-8Q please"), tokenA)
                .andExpect(status().isUnsupportedMediaType());
        api(put("/api/v1/slices"), tokenA).andExpect(status().isMethodNotAllowed());
        api(get("/api/v1/no-such-thing"), tokenA).andExpect(status().isNotFound());
    }

    private String requestOne(String token, String vmName) throws Exception {
        String body = requestSlices(token, """
                {"offeringCode": "A40-8Q", "vmName": "%s"}""".formatted(vmName))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$[0].id");
    }

    private ResultActions requestSlices(String token, String json) throws Exception {
        return api(post("/api/v1/slices").contentType(MediaType.APPLICATION_JSON).content(json), token);
    }

    private ResultActions api(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
            String token) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    private String state(String id) {
        return jdbc.sql("select state from slice where uuid = ?::uuid").param(id).query(String.class).single();
    }

    private long events(String id) {
        return jdbc.sql("select count(*) from slice_event e join slice s on s.id = e.slice_id where s.uuid = ?::uuid")
                .param(id).query(Long.class).single();
    }
}
