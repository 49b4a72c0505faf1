package io.vgpuhub.web.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** The OpenAPI document describes the tenant API, its bearer scheme and its problem details, and nothing else. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
class OpenApiDocumentTests {

    @Autowired
    MockMvc mvc;

    @Test
    void theDocumentListsEveryEndpointOfTheTenantApi() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.openapi", containsString("3.")))
                .andExpect(jsonPath("$.info.title").value("vGPU Hub tenant API"))
                .andExpect(jsonPath("$.paths['/api/v1/offerings'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices'].post.requestBody").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices'].post.responses['201']").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices'].post.responses['409'].content['application/problem+json']").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices/{sliceId}'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices/{sliceId}'].delete.responses['202']").exists())
                .andExpect(jsonPath("$.components.schemas.Slice.properties.attach").exists())
                .andExpect(jsonPath("$.components.schemas.SliceRequest.properties.vmName").exists());
    }

    @Test
    void everyCallNeedsTheBearerApiToken() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.components.securitySchemes.apiToken.type").value("http"))
                .andExpect(jsonPath("$.components.securitySchemes.apiToken.scheme").value("bearer"))
                .andExpect(jsonPath("$.security[0]", hasKey("apiToken")))
                .andExpect(jsonPath("$.paths['/api/v1/offerings'].get.responses['401'].content['application/problem+json']").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices/{sliceId}'].delete.responses['403']").exists());
    }

    @Test
    void problemDetailsAreDescribedWithTheirExtensionMembers() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.components.schemas.Problem.properties.errors").exists())
                .andExpect(jsonPath("$.components.schemas.Problem.properties.inUse").exists())
                .andExpect(jsonPath("$.paths['/api/v1/slices'].post.responses['409'].content['application/problem+json'].schema['$ref']")
                        .value("#/components/schemas/Problem"));
    }

    @Test
    void thePortalAndTheAgentApiAreNotPartOfIt() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.paths", not(hasKey("/slices"))))
                .andExpect(jsonPath("$.paths", not(hasKey("/login"))))
                .andExpect(jsonPath("$.paths", not(hasKey("/api/agent/v1/inventory"))))
                .andExpect(content().string(not(containsString("/api/agent/"))))
                .andExpect(content().string(not(containsString("/tenant-admin"))))
                .andExpect(content().string(not(containsString("ApiClient"))));
    }

    @Test
    void theUiIsThereForAnyoneToReadWithoutSigningIn() throws Exception {
        mvc.perform(get("/swagger-ui.html")).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/swagger-ui/index.html"));
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk())
                .andExpect(content().string(containsString("swagger-ui")));
        mvc.perform(get("/v3/api-docs/swagger-config")).andExpect(status().isOk())
                .andExpect(jsonPath("$.url").value("/v3/api-docs"));
    }
}
