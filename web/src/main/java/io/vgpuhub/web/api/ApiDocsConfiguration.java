package io.vgpuhub.web.api;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.properties.SpringDocConfigProperties;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tenant API's OpenAPI document (/v3/api-docs) and UI (/swagger-ui.html): only /api/v1, with the API token as a
 * bearer scheme on every operation.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

    static final String SECURITY_SCHEME = "apiToken";

    @Bean
    OpenAPI tenantApiDocument() {
        return new OpenAPI()
                .info(new Info().title("vGPU Hub tenant API").version("v1").description("""
                        Request slices of NVIDIA GPUs (time-sliced vGPU, MIG, whole-GPU passthrough) for your VMs, \
                        see what to attach once they are READY, and release them. Every call acts for the tenant of \
                        its API token; tenant admins issue tokens on the portal's tenant admin page. Errors are RFC 9457 \
                        problem details (application/problem+json)."""))
                .components(new Components().addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("vgh_…")
                        .description("An API token of your tenant: Authorization: Bearer vgh_…")))
                .addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME));
    }

    /** Every operation can answer 401 (no, unknown, revoked or expired token) and 403 (its user may no longer act). */
    @Bean
    OpenApiCustomizer authenticationProblems() {
        return openApi -> {
            Schema<?> problem = new Schema<>().$ref("#/components/schemas/Problem");
            Content content = new Content().addMediaType("application/problem+json", new MediaType().schema(problem));
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> operation.getResponses()
                    .addApiResponse("401", new ApiResponse().content(content)
                            .description("No API token, or one that is malformed, unknown, revoked or expired"))
                    .addApiResponse("403", new ApiResponse().content(content)
                            .description("The token's user is disabled or no longer a member of the tenant"))));
        };
    }

    /**
     * Keeps the portal's pages and the agent API out of the document unless springdoc.paths-to-match says otherwise:
     * the document is for tenants' programs.
     */
    @Bean
    static BeanPostProcessor tenantApiPathsOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof SpringDocConfigProperties properties
                        && (properties.getPathsToMatch() == null || properties.getPathsToMatch().isEmpty())) {
                    properties.setPathsToMatch(List.of("/api/v1/**"));
                }
                return bean;
            }
        };
    }
}
