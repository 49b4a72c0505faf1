package io.vgpuhub.web.limits;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxBodySize the largest request body the server reads. The default is about four times the largest message
 *                    an agent sends (a usage batch of 10,000 samples, or an inventory of 64 GPUs with all their
 *                    vGPU types, VFs and readiness checks, each about 2 MB).
 */
@Validated
@ConfigurationProperties("vgpuhub.http")
record RequestBodySettings(@DefaultValue("8MB") @NotNull DataSize maxBodySize) {
}
