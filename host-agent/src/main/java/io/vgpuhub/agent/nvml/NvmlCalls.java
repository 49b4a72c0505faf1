package io.vgpuhub.agent.nvml;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** What every NVML facade needs around a raw call: return codes as exceptions, handles by bus id, C strings. */
final class NvmlCalls {

    private final NvmlLibrary nvml;

    NvmlCalls(NvmlLibrary nvml) {
        this.nvml = nvml;
    }

    void check(String call, int result) {
        if (result != 0) {
            throw new NvmlException(call, result, nvml.nvmlErrorString(result));
        }
    }

    Pointer device(String pciAddress) {
        PointerByReference handle = new PointerByReference();
        check("nvmlDeviceGetHandleByPciBusId_v2(" + pciAddress + ")", nvml.nvmlDeviceGetHandleByPciBusId_v2(pciAddress, handle));
        return handle.getValue();
    }

    static String cString(byte[] buffer) {
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8);
    }
}
