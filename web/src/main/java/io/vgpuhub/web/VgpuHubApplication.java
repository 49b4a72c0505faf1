package io.vgpuhub.web;

import io.vgpuhub.metering.MeteringConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The vGPU Hub server: portal, agent API, placement and slice lifecycle. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(MeteringConfiguration.class)
public class VgpuHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(VgpuHubApplication.class, args);
    }
}
