package io.vgpuhub.metering.licensing.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A count over time on a period [from, to), built from weighted half-open intervals [start, end): at each instant,
 * the sum of the weights of the intervals that contain it. Intervals that merely touch ([a, b) and [b, c)) never
 * count together.
 */
final class StepFunction {

    /** A stretch of the period over which the count does not change. */
    record Piece(Instant start, Instant end, long value) {
    }

    record Interval(Instant start, Instant end, long weight) {
    }

    private final Instant from;
    private final Instant to;
    private final List<Piece> pieces;

    StepFunction(Instant from, Instant to, List<Interval> intervals) {
        this.from = from;
        this.to = to;
        TreeMap<Instant, Long> changes = new TreeMap<>();
        for (Interval interval : intervals) {
            Instant start = interval.start().isBefore(from) ? from : interval.start();
            Instant end = interval.end() == null || interval.end().isAfter(to) ? to : interval.end();
            if (start.isBefore(end)) {
                changes.merge(start, interval.weight(), Long::sum);
                changes.merge(end, -interval.weight(), Long::sum);
            }
        }
        List<Piece> built = new ArrayList<>();
        Instant at = from;
        long value = 0;
        for (Map.Entry<Instant, Long> change : changes.entrySet()) {
            if (change.getKey().isAfter(at)) {
                built.add(new Piece(at, change.getKey(), value));
                at = change.getKey();
            }
            value += change.getValue();
        }
        if (at.isBefore(to)) {
            built.add(new Piece(at, to, value));
        }
        this.pieces = built;
    }

    /** The highest count at any instant of [a, b) (0 when [a, b) is empty or outside the period). */
    long max(Instant a, Instant b) {
        long max = 0;
        for (Piece piece : pieces) {
            if (piece.start().isBefore(b) && piece.end().isAfter(a)) {
                max = Math.max(max, piece.value());
            }
        }
        return max;
    }

    long max() {
        return max(from, to);
    }

    /** The count at the last instant of the period (what holds just before {@code to}). */
    long atEnd() {
        return pieces.isEmpty() ? 0 : pieces.get(pieces.size() - 1).value();
    }

    /** The time-weighted mean of the count over the whole period, rounded half up to the given decimals. */
    BigDecimal average(int decimals) {
        long periodNanos = Duration.between(from, to).toNanos();
        if (periodNanos <= 0) {
            return BigDecimal.ZERO.setScale(decimals);
        }
        BigDecimal integral = BigDecimal.ZERO;
        for (Piece piece : pieces) {
            integral = integral.add(BigDecimal.valueOf(Duration.between(piece.start(), piece.end()).toNanos())
                    .multiply(BigDecimal.valueOf(piece.value())));
        }
        return integral.divide(BigDecimal.valueOf(periodNanos), decimals, RoundingMode.HALF_UP);
    }
}
