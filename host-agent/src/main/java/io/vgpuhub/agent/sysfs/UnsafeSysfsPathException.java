package io.vgpuhub.agent.sysfs;

/** A name or path that would leave the sysfs root, or is not the kind of name the kernel uses there; refused before any I/O. */
public final class UnsafeSysfsPathException extends IllegalArgumentException {

    UnsafeSysfsPathException(String message) {
        super(message);
    }
}
