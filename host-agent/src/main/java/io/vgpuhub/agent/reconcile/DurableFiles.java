package io.vgpuhub.agent.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Writes and deletes the agent's records so that a crash or power cut at any point leaves the old or the new file. */
final class DurableFiles {

    private DurableFiles() {
    }

    /** Temporary file in the same directory, fsync, rename over the target, fsync of the directory. */
    static void writeAtomically(Path target, String content) {
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try {
            createDirectoriesDurably(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Creates the missing directories and fsyncs the parent of each, so that the new entries survive a crash too. */
    private static void createDirectoriesDurably(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir.toAbsolutePath(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.add(0, d);
        }
        Files.createDirectories(dir);
        for (Path created : missing) {
            syncDirectory(created.getParent());
        }
    }

    static void deleteDurably(Path file) {
        try {
            if (Files.deleteIfExists(file)) {
                syncDirectory(file.getParent());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    /** fsync(2) of a directory makes a rename or unlink in it durable; Linux allows it on a read-only descriptor. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
