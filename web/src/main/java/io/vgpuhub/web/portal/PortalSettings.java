package io.vgpuhub.web.portal;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** @param currency the ISO 4217 code the catalog's list prices are in */
@Validated
@ConfigurationProperties("vgpuhub.portal")
record PortalSettings(@DefaultValue("USD") @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code such as USD") String currency) {
}
