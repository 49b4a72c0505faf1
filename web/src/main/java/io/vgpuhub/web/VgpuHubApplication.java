package io.vgpuhub.web;

import io.vgpuhub.metering.MeteringConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The vGPU Hub server: portal, agent API, placement and slice lifecycle. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(MeteringConfiguration.class)
@EnableScheduling
public class VgpuHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(VgpuHubApplication.class, args);
    }
}
