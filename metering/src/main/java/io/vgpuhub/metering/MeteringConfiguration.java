package io.vgpuhub.metering;

import java.time.Clock;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** Everything the metering module contributes to an application; the server imports this one class. */
@Configuration(proxyBeanMethods = false)
@ComponentScan
@ConfigurationPropertiesScan
@EntityScan
@EnableJpaRepositories
public class MeteringConfiguration {

    /** The clock metering judges sample times by. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
