package io.vgpuhub.agent.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Puts @TempDir directories on tmpfs (/dev/shm) where there is one: a simulated host's sysfs tree is a few thousand
 * small files, which take seconds to create on a disk-backed ext4 and milliseconds on tmpfs.
 */
public final class ShmTempDirFactory implements TempDirFactory {

    @Override
    public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "vgpuhub-agent-test");
        }
        return Files.createTempDirectory("vgpuhub-agent-test");
    }
}
