package io.vgpuhub.db;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The smallest application that migrates a fresh embedded PostgreSQL: what the schema tests run against. */
@SpringBootConfiguration
@EnableAutoConfiguration
class SchemaTestApplication {
}
