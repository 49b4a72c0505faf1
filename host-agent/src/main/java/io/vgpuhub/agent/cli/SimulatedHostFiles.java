package io.vgpuhub.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Resolves {@code --simulate[=<host file>]}: without a file, the bundled demo host. */
final class SimulatedHostFiles {

    static final String DEMO_HOST_RESOURCE = "/sim/demo-host.conf";

    private SimulatedHostFiles() {
    }

    static Path resolve(String option, Path stateDir) {
        if (!option.isEmpty()) {
            return Path.of(option);
        }
        Path target = stateDir.resolve("sim").resolve("demo-host.conf");
        try (InputStream demo = SimulatedHostFiles.class.getResourceAsStream(DEMO_HOST_RESOURCE)) {
            if (demo == null) {
                throw new IllegalStateException("the bundled " + DEMO_HOST_RESOURCE + " is missing from the classpath");
            }
            Files.createDirectories(target.getParent());
            Files.copy(demo, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
