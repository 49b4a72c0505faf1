package io.vgpuhub.metering.licensing.report;

import java.util.List;

import io.vgpuhub.metering.licensing.Edition;

/** Daily peak seat use and entitled seats of one edition, one entry per UTC day, oldest first. */
public record EditionSeatHistory(Edition edition, String name, List<DailySeats> days) {

    /** Whether the edition had anything to show in the period (seats used or entitled on some day). */
    public boolean hasData() {
        return days.stream().anyMatch(day -> day.peakSeats() > 0 || day.entitledSeats() > 0);
    }
}
