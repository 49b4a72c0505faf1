package io.vgpuhub.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every path under a directory with its file content or link target, to prove that nothing changed. */
public final class TreeSnapshot {

    private TreeSnapshot() {
    }

    public static Map<String, String> of(Path dir) {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String key = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    snapshot.put(key, "-> " + Files.readSymbolicLink(p));
                }
                else if (Files.isRegularFile(p)) {
                    snapshot.put(key, Files.readString(p));
                }
                else {
                    snapshot.put(key, "/");
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return snapshot;
    }
}
