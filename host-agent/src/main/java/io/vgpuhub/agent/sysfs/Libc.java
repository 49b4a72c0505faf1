package io.vgpuhub.agent.sysfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.vgpuhub.agent.natives.NativeLibraries;
import com.sun.jna.NativeLong;

/**
 * JNA binding of the three libc calls used to write kernel attribute files. Loaded from "c" on a real host and
 * from "vgpusim" in simulation, where the simulator exports the same symbols and answers like the kernel.
 */
interface Libc extends Library {

    int O_WRONLY = 0x1;
    int O_TRUNC = 0x200;
    int O_CLOEXEC = 0x80000;
    int O_SYNC = 0x101000;

    int open(String path, int flags, int mode) throws LastErrorException;

    NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    static Libc load(String libraryName) {
        return Native.load(NativeLibraries.resolve(libraryName), Libc.class);
    }
}
