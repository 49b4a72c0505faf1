package io.vgpuhub.metering.licensing.report;

import java.time.LocalDate;

/**
 * One UTC day of one edition: the most seats held at any one instant of the day, and the most seats entitled at any
 * instant of the day.
 */
public record DailySeats(LocalDate day, long peakSeats, long entitledSeats) {
}
