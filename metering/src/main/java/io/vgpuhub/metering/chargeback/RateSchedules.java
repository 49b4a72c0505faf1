package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.SqlTime;
import io.vgpuhub.metering.licensing.Edition;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads the stored rate cards. */
@Service
public class RateSchedules {

    private final JdbcClient jdbc;

    RateSchedules(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every stored card, earliest first. */
    @Transactional(readOnly = true)
    public RateSchedule current() {
        Map<Long, Map<Long, BigDecimal>> offeringPrices = new HashMap<>();
        jdbc.sql("select rate_card_id, offering_id, price_per_hour from rate_card_offering")
                .query(rs -> {
                    offeringPrices.computeIfAbsent(rs.getLong(1), card -> new HashMap<>())
                            .put(rs.getLong(2), rs.getBigDecimal(3));
                });
        Map<Long, Map<Edition, BigDecimal>> seatPrices = new HashMap<>();
        jdbc.sql("select rate_card_id, edition, price_per_seat_hour from rate_card_edition")
                .query(rs -> {
                    seatPrices.computeIfAbsent(rs.getLong(1), card -> new HashMap<>())
                            .put(Edition.valueOf(rs.getString(2)), rs.getBigDecimal(3));
                });
        List<RateCard> cards = jdbc.sql("""
                select c.id, c.effective_from, c.currency, c.name, c.notes, u.username, c.created_at
                from rate_card c left join app_user u on u.id = c.created_by
                order by c.effective_from
                """).query((rs, row) -> {
                    long id = rs.getLong(1);
                    return new RateCard(id, rs.getObject(2, java.time.LocalDate.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), offeringPrices.getOrDefault(id, Map.of()),
                            seatPrices.getOrDefault(id, Map.of()), rs.getString(6), SqlTime.instant(rs, 7));
                }).list();
        return RateSchedule.of(cards);
    }
}
