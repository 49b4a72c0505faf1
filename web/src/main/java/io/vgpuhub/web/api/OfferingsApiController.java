package io.vgpuhub.web.api;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vgpuhub.web.apitoken.ApiClient;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The catalog as the token's tenant sees it. */
@RestController
@Tag(name = "Offerings", description = "What your tenant can order")
class OfferingsApiController {

    private final TenantOfferings offerings;

    OfferingsApiController(TenantOfferings offerings) {
        this.offerings = offerings;
    }

    @GetMapping(path = "/api/v1/offerings", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List the offerings your tenant may order, with price and free capacity")
    List<OfferingResource> offerings(@Parameter(hidden = true) @AuthenticationPrincipal ApiClient client) {
        return offerings.visibleTo(client.tenantId());
    }
}
