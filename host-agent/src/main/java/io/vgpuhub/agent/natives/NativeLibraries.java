package io.vgpuhub.agent.natives;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Where each JNA binding loads its library from. The simulator keeps its GPUs in the library's own memory, so NVML,
 * the simulated kernel and the simulator's control must share one loaded instance, as they do on a real host. Two
 * things would break that: JNA extracting a separate copy from the jar for each binding, and JNA unloading the
 * library (dlclose) once no binding references it, which throws the simulated GPUs away. So the bundled library is
 * extracted once and pinned for the life of the process.
 */
public final class NativeLibraries {

    private static final String BUNDLED = "vgpusim";
    private static final Map<String, String> resolved = new ConcurrentHashMap<>();
    private static final Map<String, NativeLibrary> pinned = new ConcurrentHashMap<>();

    private NativeLibraries() {
    }

    /** The name or absolute path to hand to {@code Native.load} for {@code libraryName}. */
    public static String resolve(String libraryName) {
        if (!BUNDLED.equals(libraryName)) {
            return libraryName;
        }
        return resolved.computeIfAbsent(libraryName, NativeLibraries::extractOnce);
    }

    private static String extractOnce(String libraryName) {
        try {
            File file = Native.extractFromResourcePath(libraryName, NativeLibraries.class.getClassLoader());
            String path = file.getAbsolutePath();
            pinned.put(path, NativeLibrary.getInstance(path));
            return path;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled native library " + libraryName, e);
        }
    }
}
