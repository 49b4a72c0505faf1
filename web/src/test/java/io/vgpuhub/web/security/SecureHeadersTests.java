package io.vgpuhub.web.security;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** Every portal page tells the browser what it may load and that no other site may frame it. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
class SecureHeadersTests {

    @Autowired
    MockMvc mvc;

    @Test
    void theLoginPageCarriesTheStrictPolicy() throws Exception {
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", SecurityConfiguration.PORTAL_CSP))
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self';")))
                .andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Referrer-Policy", "strict-origin-when-cross-origin"));
    }

    @Test
    @WithUserDetails("olivia")
    void aSignedInPageCarriesTheStrictPolicyToo() throws Exception {
        mvc.perform(get("/operator/gpus")).andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", SecurityConfiguration.PORTAL_CSP))
                .andExpect(header().string("X-Frame-Options", "DENY"));
    }

    @Test
    void swaggerUiMayUseInlineStylesButNoInlineScripts() throws Exception {
        mvc.perform(get("/swagger-ui/index.html"))
                .andExpect(header().string("Content-Security-Policy", SecurityConfiguration.SWAGGER_UI_CSP))
                .andExpect(header().string("Content-Security-Policy", containsString("style-src 'self' 'unsafe-inline'")))
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self';")));
    }
}
