package io.vgpuhub.web.portal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Memory sizes as people read them: GB with at most one decimal (9856 MiB is "9.6", 8192 MiB is "8"). */
final class Sizes {

    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);

    private Sizes() {
    }

    static String gigabytes(long mib) {
        return BigDecimal.valueOf(mib).divide(MIB_PER_GIB, 1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
