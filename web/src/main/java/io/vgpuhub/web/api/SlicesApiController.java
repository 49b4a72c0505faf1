package io.vgpuhub.web.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vgpuhub.metering.chargeback.costcentre.CostCentreNotFoundException;
import io.vgpuhub.web.apitoken.ApiClient;
import io.vgpuhub.web.licensing.LicenseStatus;
import io.vgpuhub.web.licensing.SliceLicenses;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The token's tenant's slices: list, request, look at one, release. Another tenant's slices do not exist here. */
@RestController
@RequestMapping(path = "/api/v1/slices", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Slices", description = "Request GPU slices for your VMs, see what to attach, release them")
class SlicesApiController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final SliceRequests requests;
    private final SliceLifecycle lifecycle;
    private final TenantOfferings offerings;
    private final SliceLicenses licenses;

    SlicesApiController(SliceRequests requests, SliceLifecycle lifecycle, TenantOfferings offerings,
            SliceLicenses licenses) {
        this.licenses = licenses;
        this.requests = requests;
        this.lifecycle = lifecycle;
        this.offerings = offerings;
    }

    @GetMapping
    @Operation(summary = "List your tenant's slices, newest first (released ones included)")
    List<SliceResource> slices(@Parameter(hidden = true) @AuthenticationPrincipal ApiClient client) {
        List<SliceView> slices = lifecycle.slicesOf(client.tenantId());
        Map<Long, LicenseStatus> license = licenses.of(slices);
        return slices.stream().map(slice -> resource(slice, license)).toList();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Request slices of one offering for one VM, all or none",
            description = "The slices are placed at once and become READY when their host has created the devices; "
                    + "poll GET /api/v1/slices/{sliceId}. The Location header names the first slice.")
    @ApiResponse(responseCode = "201", description = "Placed; the body lists the new slices")
    @ApiResponse(responseCode = "400", description = "Invalid request (field errors in 'errors'), unknown offering or "
            + "cost centre",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "409", description = "No free capacity; or the request would exceed your tenant's quota "
            + "(then 'limit', 'allowed', 'inUse' and 'requested' say which and by how much); or no license seat of the "
            + "offering's edition is free (then 'edition' says which); nothing was "
            + "reserved",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemSchema.class)))
    ResponseEntity<List<SliceResource>> request(@Parameter(hidden = true) @AuthenticationPrincipal ApiClient client,
            @Valid @RequestBody SliceRequestBody body) {
        boolean byId = body.offeringId() != null;
        boolean byCode = body.offeringCode() != null && !body.offeringCode().isBlank();
        if (byId == byCode) {
            throw new InvalidApiRequestException("offeringId", "Give exactly one of offeringId and offeringCode.");
        }
        long offeringId = offerings.resolve(client.tenantId(), body.offeringId(), byCode ? body.offeringCode().strip() : null)
                .orElseThrow(() -> new InvalidApiRequestException(byId ? "offeringId" : "offeringCode",
                        "Your tenant has no offering " + (byId ? body.offeringId() : body.offeringCode().strip())
                                + ". GET /api/v1/offerings lists those you may order."));
        List<SliceView> placed;
        try {
            placed = requests.request(client.requester(), offeringId, body.vmName(), body.countOrOne(),
                    body.costCentreOrRoot());
        }
        catch (CostCentreNotFoundException unknown) {
            throw new InvalidApiRequestException("costCentre", "Your tenant has no cost centre " + body.costCentreOrRoot()
                    + ". Leave costCentre out to bill your tenant's root cost centre; your provider's finance team "
                    + "keeps the list.");
        }
        Map<Long, LicenseStatus> license = licenses.of(placed);
        URI first = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{sliceId}")
                .buildAndExpand(placed.get(0).uuid()).toUri();
        return ResponseEntity.created(first)
                .body(placed.stream().map(slice -> resource(slice, license)).toList());
    }

    @GetMapping("/{sliceId}")
    @Operation(summary = "One slice: its state and, once READY, what to attach to the VM")
    @ApiResponse(responseCode = "200", description = "The slice")
    @ApiResponse(responseCode = "400", description = "The slice id is not a UUID",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "404", description = "Your tenant has no such slice",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemSchema.class)))
    SliceResource slice(@Parameter(hidden = true) @AuthenticationPrincipal ApiClient client, @PathVariable UUID sliceId) {
        SliceView slice = lifecycle.sliceOf(client.tenantId(), sliceId);
        return resource(slice, licenses.of(List.of(slice)));
    }

    @DeleteMapping("/{sliceId}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Release a slice",
            description = "The host removes the device, then the slice is RELEASED. Releasing a slice that is already "
                    + "RELEASING or RELEASED changes nothing and answers 202 again.")
    @ApiResponse(responseCode = "202", description = "Release under way (or already done); the body is the slice now")
    @ApiResponse(responseCode = "400", description = "The slice id is not a UUID",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "404", description = "Your tenant has no such slice",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemSchema.class)))
    SliceResource release(@Parameter(hidden = true) @AuthenticationPrincipal ApiClient client, @PathVariable UUID sliceId) {
        lifecycle.release(client.requester(), sliceId);
        return slice(client, sliceId);
    }

    private static SliceResource resource(SliceView slice, Map<Long, LicenseStatus> license) {
        return SliceResource.of(slice, slice.kind(), slice.deviceUuid(), license.get(slice.id()));
    }
}
