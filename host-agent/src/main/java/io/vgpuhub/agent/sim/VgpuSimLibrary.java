package io.vgpuhub.agent.sim;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.vgpuhub.agent.natives.NativeLibraries;

/** JNA binding of the simulator's own control functions (src/main/c/vgpusim.c). */
interface VgpuSimLibrary extends Library {

    int vgpusim_configure(String hostFile, String sysfsRoot);

    int vgpusim_boot();

    String vgpusim_last_error();

    static VgpuSimLibrary load() {
        return Native.load(NativeLibraries.resolve("vgpusim"), VgpuSimLibrary.class);
    }
}
