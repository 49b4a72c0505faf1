package io.vgpuhub.agent.sysfs;

import java.nio.file.Path;

/** The kernel refused a write to an attribute file; carries the errno as number, symbolic name and text. */
public final class KernelWriteException extends RuntimeException {

    private final int errno;
    private final String errnoName;

    KernelWriteException(String operation, Path path, String value, int errno) {
        super(operation + " '" + value + "' to " + path + " failed: " + Errno.nameOf(errno) + " (" + Errno.textOf(errno) + ")");
        this.errno = errno;
        this.errnoName = Errno.nameOf(errno);
    }

    public int errno() {
        return errno;
    }

    /** e.g. {@code ENOSPC}. */
    public String errnoName() {
        return errnoName;
    }

    /** The kernel's reason in the form operators know from the shell, e.g. {@code ENOSPC (No space left on device)}. */
    public String reason() {
        return errnoName + " (" + Errno.textOf(errno) + ")";
    }
}
