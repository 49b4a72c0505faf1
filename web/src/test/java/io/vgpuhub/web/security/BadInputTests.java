package io.vgpuhub.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.vgpuhub.web.agentapi.AgentApiFixtures;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;

import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.util.UriUtils;

/**
 * Bad input to every JSON endpoint and every URL with a path variable, read from the running application's mappings
 * (as the authorization matrix reads them), sent by someone who may use the URL: each gets a clear 4xx, never a 500 or
 * a page with a reflected script, and changes nothing (see {@link #fingerprint(JdbcClient)}).
 */
@SpringBootTest(properties = { "vgpuhub.test.database=badinput", "vgpuhub.lifecycle.check-interval=1h" })
@AutoConfigureMockMvc
@Import(AgentApiFixtures.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTests extends AuthzTestSupport {

    static final String SCRIPT = "<script>alert('bad')</script>";

    /** Path variable values that name nothing: wrong shapes, overflow, overlong, and the usual injection strings. */
    static final Map<String, String> BAD_PATH_VALUES = Map.ofEntries(
            Map.entry("bad UUID", "3f1c9a6e-not-a-uuid"),
            Map.entry("bad PCI address", "0000:zz:00.9"),
            Map.entry("bad month", "2026-13"),
            Map.entry("negative id", "-1"),
            Map.entry("overflowing id", "99999999999999999999999999"),
            Map.entry("overlong value", "a".repeat(5000)),
            Map.entry("SQL injection", "' or 1=1 --"),
            Map.entry("script", SCRIPT),
            // Without a slash, so that the firewall's refusal of an encoded slash does not stop it before the application.
            Map.entry("script without a closing tag", "<script>alert('bad')"),
            Map.entry("path traversal", "../../etc/passwd"),
            Map.entry("NUL", "%00"));

    @Value("${vgpuhub.http.max-body-size:8MB}")
    org.springframework.util.unit.DataSize maxBodySize;

    AuthzFixtures fixtures;
    List<Endpoint> endpoints;
    List<Endpoint> jsonEndpoints;

    @BeforeAll
    void everyone() throws Exception {
        fixtures = new AuthzFixtures(mvc, jdbc, tokens, agents, hostToken);
        endpoints = Endpoint.all(context);
        jsonEndpoints = endpoints.stream().filter(endpoint -> bodyType(endpoint) != null).toList();
    }

    @Test
    void theJsonEndpointsAreFound() {
        assertThat(jsonEndpoints).extracting(Endpoint::toString).contains("POST /api/v1/slices", "PUT /api/agent/v1/inventory",
                "POST /api/agent/v1/usage", "POST /api/agent/v1/slices/{sliceId}/observed", "POST /api/agent/v1/heartbeat");
    }

    @TestFactory
    Stream<DynamicTest> malformedJsonEmptyBodiesAndWrongContentTypes() {
        return jsonEndpoints.stream().flatMap(endpoint -> Stream.of(
                dynamicTest(endpoint + " with malformed JSON -> 400", () -> refused(endpoint, "{\"a\": [1, 2", 400, "JSON")),
                dynamicTest(endpoint + " with a JSON array for an object -> 400", () -> refused(endpoint, "[1, 2]", 400, null)),
                dynamicTest(endpoint + " with an empty body -> 400", () -> {
                    if (endpoint.pattern().endsWith("/heartbeat")) {
                        return; // the heartbeat's body is optional: an empty one is a plain heartbeat
                    }
                    refused(endpoint, "", 400, null);
                }),
                dynamicTest(endpoint + " as text/plain -> 415", () -> refused(json(endpoint, "{}").contentType(MediaType.TEXT_PLAIN),
                        endpoint, 415)),
                dynamicTest(endpoint + " with a body over the limit -> 413", () -> {
                    String huge = "{\"x\":\"" + "a".repeat((int) maxBodySize.toBytes()) + "\"}";
                    refused(endpoint, huge, 413, "at most " + maxBodySize.toBytes() + " bytes");
                })));
    }

    /** Each field of the body in turn gets a value of the wrong JSON kind (an object for a scalar, text for a list). */
    @TestFactory
    Stream<DynamicTest> wrongFieldTypes() {
        return jsonEndpoints.stream().flatMap(endpoint -> Stream.of(bodyType(endpoint).getRecordComponents())
                .map(component -> dynamicTest(endpoint + " with " + component.getName() + " of the wrong type -> 400",
                        () -> refused(endpoint, "{\"" + component.getName() + "\": " + wrongKind(component.getType()) + "}",
                                400, component.getName()))));
    }

    /** Each enum anywhere in the body (also in lists of nested records) gets a value it does not have; the answer names it. */
    @TestFactory
    Stream<DynamicTest> unknownEnumValues() {
        return jsonEndpoints.stream().flatMap(endpoint -> enumBodies(bodyType(endpoint)).stream()
                .map(body -> dynamicTest(endpoint + " with " + body + " -> 400",
                        () -> refused(endpoint, body, 400, body.substring(body.lastIndexOf("{\"") + 2, body.lastIndexOf("\":"))))));
    }

    @TestFactory
    Stream<DynamicTest> badValuesInsideTheBody() {
        String gpu = """
                {"pciAddress": "%s", "uuid": "GPU-00000000-0000-0000-0000-000000000001", "name": "%s", "memoryMib": 49152,
                 "mode": "VGPU", "virtualFunctions": []}""";
        Map<String, String> inventories = Map.of(
                "bad PCI address", gpu.formatted("0000:zz:00.0", "NVIDIA A40"),
                "SQL injection as PCI address", gpu.formatted("' or 1=1 --", "NVIDIA A40"),
                "script as PCI address", gpu.formatted(SCRIPT.replace("'", "\\u0027"), "NVIDIA A40"),
                "overlong GPU name", gpu.formatted("0000:41:00.0", "A".repeat(5000)));
        Map<String, String> usage = Map.of(
                "bad date", "{\"batchId\": \"%s\", \"samples\": [{\"sliceId\": \"%s\", \"sampledAt\": \"2026-02-30T25:00:00Z\"}]}",
                "bad batch UUID", "{\"batchId\": \"' or 1=1 --\", \"samples\": [{\"sliceId\": \"%2$s\", \"sampledAt\": \"2026-02-01T00:00:00Z\"}]}",
                "bad slice UUID", "{\"batchId\": \"%s\", \"samples\": [{\"sliceId\": \"../../etc/passwd\", \"sampledAt\": \"2026-02-01T00:00:00Z\"}]}",
                "no samples", "{\"batchId\": \"%s\", \"samples\": []}");
        Map<String, String> slices = Map.of(
                "script as VM name", "{\"offeringCode\": \"A40-8Q\", \"vmName\": \"<script>alert(1)</script>\"}",
                "SQL injection as VM name", "{\"offeringCode\": \"A40-8Q\", \"vmName\": \"' or 1=1 --\"}",
                "SQL injection as offering code", "{\"offeringCode\": \"' or 1=1 --\", \"vmName\": \"vm-1\"}",
                "count far too large", "{\"offeringCode\": \"A40-8Q\", \"vmName\": \"vm-1\", \"count\": 99999999999}");
        Endpoint inventory = jsonEndpoint("PUT /api/agent/v1/inventory");
        Endpoint usageUpload = jsonEndpoint("POST /api/agent/v1/usage");
        Endpoint request = jsonEndpoint("POST /api/v1/slices");
        List<DynamicTest> tests = new ArrayList<>();
        inventories.forEach((what, body) -> tests.add(dynamicTest("inventory with " + what + " -> 400",
                () -> refused(inventory, "{\"gpus\": [" + body + "]}", 400, null))));
        usage.forEach((what, body) -> tests.add(dynamicTest("usage with " + what + " -> 400",
                () -> refused(usageUpload, body.formatted(java.util.UUID.randomUUID(), fixtures.acmeSlice), 400, null))));
        slices.forEach((what, body) -> tests.add(dynamicTest("slice request with " + what + " -> 4xx",
                () -> refused(request, body, null, null))));
        return tests.stream();
    }

    /** Every path variable of every mapping, one at a time, with each bad value; the others get good values. */
    @TestFactory
    Stream<DynamicTest> badPathVariables() {
        return endpoints.stream().filter(Endpoint::hasVariables).flatMap(endpoint -> variables(endpoint).stream()
                .flatMap(variable -> BAD_PATH_VALUES.entrySet().stream().map(bad -> dynamicTest(
                        endpoint + " with {" + variable + "} = " + bad.getKey() + " -> 400/404", () -> {
                            String path = endpoint.expand((e, name, type) -> name.equals(variable)
                                    ? UriUtils.encodePathSegment(bad.getValue(), StandardCharsets.UTF_8)
                                    : fixtures.value(e, name, type));
                            refused(fixtures.as(user(endpoint), endpoint.request(URI.create(path), "{}")), endpoint, 400, 404);
                        }))));
    }

    private void refused(Endpoint endpoint, String body, Integer status, String detailMentions) throws Exception {
        MockHttpServletResponse response = refused(json(endpoint, body), endpoint, status == null ? new Integer[0] : new Integer[] { status });
        if (endpoint.pattern().startsWith("/api/")) {
            assertThat(response.getContentType()).as("%s answers a problem", endpoint).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(response.getContentAsString()).contains("\"detail\"");
        }
        if (detailMentions != null) {
            assertThat(response.getContentAsString()).as("%s says what is wrong", endpoint).contains(detailMentions);
        }
    }

    private MockHttpServletResponse refused(MockHttpServletRequestBuilder request, Endpoint endpoint, Integer... statuses)
            throws Exception {
        String before = fingerprint(jdbc);
        MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
        String body = response.getContentAsString();
        if (statuses.length == 0) {
            assertThat(response.getStatus()).as("%s: %s", endpoint, body).isBetween(400, 499);
        }
        else {
            assertThat(response.getStatus()).as("%s: %s", endpoint, body).isIn((Object[]) statuses);
        }
        if (response.getContentType() != null && response.getContentType().contains("json")) {
            // JSON may quote a value as sent; a browser never runs it as a page, as the header says.
            assertThat(response.getHeader("X-Content-Type-Options")).as("%s: %s", endpoint, body).isEqualTo("nosniff");
        }
        else {
            assertThat(body).as("%s reflects the script", endpoint).doesNotContain("<script>alert(");
        }
        assertThat(fingerprint(jdbc)).as("what %s changed", endpoint).isEqualTo(before);
        return response;
    }

    private MockHttpServletRequestBuilder json(Endpoint endpoint, String body) {
        String path = endpoint.expand(fixtures::value);
        return fixtures.as(user(endpoint), request(endpoint.method(), path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private Endpoint jsonEndpoint(String name) {
        return jsonEndpoints.stream().filter(endpoint -> endpoint.toString().equals(name)).findFirst().orElseThrow();
    }

    /** Someone who may use the URL, so that the bad input reaches the application and not only security. */
    private static Who user(Endpoint endpoint) {
        java.util.Set<Who> allowed = AccessPolicy.ruleFor(endpoint).map(AccessPolicy.Rule::allowed).orElse(AccessPolicy.NOBODY);
        return Stream.of(Who.HOST_AGENT, Who.API_TOKEN, Who.OLIVIA, Who.FIONA, Who.LEO, Who.TOM, Who.ALICE)
                .filter(allowed::contains).findFirst().orElse(Who.ANONYMOUS);
    }

    private static List<String> variables(Endpoint endpoint) {
        List<String> names = new ArrayList<>();
        endpoint.expand((e, name, type) -> {
            names.add(name);
            return "x";
        });
        return names;
    }

    private static Class<?> bodyType(Endpoint endpoint) {
        if (endpoint.handler() == null || !endpoint.pattern().startsWith("/api/")) {
            return null;
        }
        for (MethodParameter parameter : endpoint.handler().getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                return parameter.getParameterType();
            }
        }
        return null;
    }

    private static String wrongKind(Class<?> type) {
        if (Collection.class.isAssignableFrom(type)) {
            return "\"not a list\"";
        }
        return type.isRecord() ? "[1, 2]" : "{\"nested\": true}";
    }

    /** One body per enum reachable from the record, with a value the enum does not have, e.g. {"gpus":[{"mode":"X"}]}. */
    private static List<String> enumBodies(Class<?> record) {
        List<String> bodies = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            Class<?> type = component.getType();
            if (type.isEnum()) {
                bodies.add("{\"" + component.getName() + "\": \"NOT_A_VALUE\"}");
            }
            else if (type.isRecord()) {
                enumBodies(type).forEach(inner -> bodies.add("{\"" + component.getName() + "\": " + inner + "}"));
            }
            else if (List.class.isAssignableFrom(type) && component.getGenericType() instanceof ParameterizedType list) {
                Type element = list.getActualTypeArguments()[0];
                if (element instanceof Class<?> elementType && elementType.isRecord()) {
                    enumBodies(elementType).forEach(inner -> bodies.add("{\"" + component.getName() + "\": [" + inner + "]}"));
                }
                else if (element instanceof Class<?> elementType && elementType.isEnum()) {
                    bodies.add("{\"" + component.getName() + "\": [\"NOT_A_VALUE\"]}");
                }
            }
        }
        return bodies;
    }

    /**
     * What a refused request must leave as it was: slices, the host inventory (hosts and their agent tokens without their liveness columns,
     * GPUs, VFs, vGPU types, MIG profiles and instances), usage (samples, batches), leases, offerings, licenses, cost
     * centres, users, tokens (not when they were last used) and the audit trail's length.
     */
    static String fingerprint(JdbcClient jdbc) {
        return jdbc.sql("""
                select concat_ws('|',
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from slice t),
                    (select md5(coalesce(string_agg(concat_ws(':', id, name, state, readiness::text, foreign_devices::text, agent_token_hash, agent_token_revoked_at), ',' order by id), '')) from host),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from gpu t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from virtual_function t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from gpu_vgpu_type t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from gpu_mig_profile t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from gpu_mig_instance t),
                    (select count(*) from usage_sample), (select count(*) from usage_batch),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from license_lease t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from offering t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from license_entitlement t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from cost_centre t),
                    (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from app_user t),
                    (select md5(coalesce(string_agg(concat_ws(':', id, name, revoked_at), ',' order by id), '')) from api_token),
                    (select count(*) from audit_event))
                """).query(String.class).single();
    }
}
