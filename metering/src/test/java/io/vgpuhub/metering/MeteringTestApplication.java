package io.vgpuhub.metering;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** Metering on its own, over a freshly migrated embedded PostgreSQL. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(MeteringConfiguration.class)
class MeteringTestApplication {
}
