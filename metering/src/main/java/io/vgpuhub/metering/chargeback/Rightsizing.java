package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rightsizing hints: a slice whose peak framebuffer stayed under half of its profile's in the month could have run on
 * the smallest enabled offering of the same kind and GPU model (for vGPU, the same series letter, hence the same
 * license edition) that still holds that peak. Passthrough takes a whole GPU and gets no hint.
 */
@Component
class Rightsizing {

    private final JdbcClient jdbc;

    Rightsizing(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every offering by id: one small read per computation. */
    Map<Long, Offering> offerings() {
        return jdbc.sql("select id, code, kind, gpu_model, vgpu_type, framebuffer_mib, enabled from offering")
                .query((rs, row) -> new Offering(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getBoolean(7)))
                .list().stream().collect(Collectors.toMap(Offering::id, Function.identity()));
    }

    /** The smaller offering to suggest, if the peak leaves room for one. */
    static Optional<Offering> smallerFor(Offering current, Integer memoryPeakMib, long samples,
            Map<Long, Offering> offerings) {
        if (samples == 0 || memoryPeakMib == null || current.kind().equals("PASSTHROUGH")
                || 2L * memoryPeakMib >= current.framebufferMib()) {
            return Optional.empty();
        }
        return offerings.values().stream()
                .filter(Offering::enabled)
                .filter(other -> other.kind().equals(current.kind()) && other.gpuModel().equals(current.gpuModel()))
                .filter(other -> other.series().equals(current.series()))
                .filter(other -> other.framebufferMib() >= memoryPeakMib
                        && other.framebufferMib() < current.framebufferMib())
                .min(Comparator.comparingInt(Offering::framebufferMib).thenComparing(Offering::code));
    }

    /**
     * What the slice's lines would have cost less on the suggestion, each line at its own card; empty when a card with
     * allocated time on it prices the current or the suggested offering not at all.
     */
    static Optional<BigDecimal> saving(List<PricedLine> lines, Offering suggestion, String currency) {
        BigDecimal saving = Money.scaled(BigDecimal.ZERO, currency);
        for (PricedLine line : lines) {
            if (line.line().allocatedSeconds() == 0) {
                continue;
            }
            BigDecimal current = line.line().ratePerHour();
            BigDecimal suggested = line.card() == null ? null : line.card().offeringPrices().get(suggestion.id());
            if (current == null || suggested == null) {
                return Optional.empty();
            }
            saving = saving.add(Money.amount(BigDecimal.valueOf(line.line().allocatedSeconds()),
                    current.subtract(suggested), line.card().currency()));
        }
        return Optional.of(saving);
    }

    record Offering(long id, String code, String kind, String gpuModel, String vgpuType, int framebufferMib,
            boolean enabled) {

        /** The vGPU series letter (A, B, Q, C), empty for other kinds. */
        String series() {
            return vgpuType == null ? "" : vgpuType.substring(vgpuType.length() - 1);
        }
    }

    /** A priced line with the card that priced it (null where none was in force). */
    record PricedLine(StatementLine line, RateCard card) {
    }
}
