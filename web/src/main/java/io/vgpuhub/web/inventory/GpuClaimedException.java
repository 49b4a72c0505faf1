package io.vgpuhub.web.inventory;

/** An inventory report names a GPU that is recorded elsewhere; the report is refused as a whole. */
public class GpuClaimedException extends RuntimeException {

    GpuClaimedException(String message) {
        super(message);
    }
}
