package io.vgpuhub.agent.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

/**
 * Writes kernel attribute files with one write(2) through libc, as the kernel expects a sysfs store, and turns errno
 * into {@link KernelWriteException}. java.nio cannot be used for the writes: it hides errno behind IOException texts.
 * Reads go through java.nio.
 */
public final class KernelFiles {

    private final Libc libc;

    private KernelFiles(Libc libc) {
        this.libc = libc;
    }

    /** {@code "c"} on a real host, {@code "vgpusim"} against the simulated kernel. */
    public static KernelFiles load(String libraryName) {
        return new KernelFiles(Libc.load(libraryName));
    }

    /** O_WRONLY|O_SYNC, as go-nvlib writes mdev create/remove. */
    public void write(Path path, String value) {
        write(path, value, Libc.O_WRONLY | Libc.O_SYNC | Libc.O_CLOEXEC);
    }

    /** O_WRONLY|O_TRUNC|O_SYNC, for attributes whose drivers expect truncation (sriov_numvfs, current_vgpu_type). */
    public void writeTruncating(Path path, String value) {
        write(path, value, Libc.O_WRONLY | Libc.O_TRUNC | Libc.O_SYNC | Libc.O_CLOEXEC);
    }

    private void write(Path path, String value, int flags) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        int fd;
        try {
            fd = libc.open(path.toString(), flags, 0);
        }
        catch (LastErrorException e) {
            throw new KernelWriteException("open for write", path, value, e.getErrorCode());
        }
        try {
            long written = libc.write(fd, bytes, new NativeLong(bytes.length)).longValue();
            if (written != bytes.length) {
                throw new KernelWriteException("short write of", path, value, 5);
            }
        }
        catch (LastErrorException e) {
            throw new KernelWriteException("write", path, value, e.getErrorCode());
        }
        finally {
            try {
                libc.close(fd);
            }
            catch (LastErrorException ignored) {
                // close(2) on a sysfs attribute cannot report a failed store; the write above already did.
            }
        }
    }

    /** The file's content without the trailing newline the kernel appends. */
    public String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
