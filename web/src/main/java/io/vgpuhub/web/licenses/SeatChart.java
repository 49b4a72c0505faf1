package io.vgpuhub.web.licenses;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.report.DailySeats;
import io.vgpuhub.metering.licensing.report.EditionSeatHistory;

/**
 * The geometry of the seat-use chart, drawn by the template as SVG: per edition, a solid line of the daily peak of
 * seats in use and a dashed line of the seats entitled, on one day axis and one seat axis. Editions with nothing
 * used or entitled in the period are left out so that the lines that matter stay readable.
 */
record SeatChart(int width, int height, int left, int right, int top, int bottom, List<Line> lines, List<Tick> xTicks,
        List<Tick> yTicks, LocalDate firstDay, LocalDate lastDay) {

    static final int WIDTH = 760;
    static final int HEIGHT = 300;
    static final int LEFT = 56;
    static final int RIGHT = WIDTH - 16;
    static final int TOP = 16;
    static final int BOTTOM = HEIGHT - 56;

    private static final Map<Edition, String> COLORS = Map.of(Edition.VAPPS, "#7b4fd6", Edition.VPC, "#1f8a70",
            Edition.VWS, "#d1495b", Edition.VCS, "#2d6cdf");
    private static final DateTimeFormatter TICK = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);

    /** One edition: its colour, the SVG points of its peak line and of its entitled line, and its latest figures. */
    record Line(Edition edition, String name, String color, String peakPoints, String entitledPoints, long maxPeak,
            long maxEntitled) {
    }

    /** A labelled position on an axis, in SVG units. */
    record Tick(double position, String label) {
    }

    static SeatChart of(List<EditionSeatHistory> history) {
        List<EditionSeatHistory> shown = history.stream().filter(EditionSeatHistory::hasData).toList();
        List<DailySeats> anyDays = history.isEmpty() ? List.of() : history.get(0).days();
        int days = anyDays.size();
        long max = 1;
        for (EditionSeatHistory edition : shown) {
            for (DailySeats day : edition.days()) {
                max = Math.max(max, Math.max(day.peakSeats(), day.entitledSeats()));
            }
        }
        long step = niceStep(max);
        long top = ((max + step - 1) / step) * step;
        List<Line> lines = new ArrayList<>();
        for (EditionSeatHistory edition : shown) {
            StringBuilder peak = new StringBuilder();
            StringBuilder entitled = new StringBuilder();
            long maxPeak = 0;
            long maxEntitled = 0;
            for (int i = 0; i < edition.days().size(); i++) {
                DailySeats day = edition.days().get(i);
                peak.append(point(x(i, days), y(day.peakSeats(), top)));
                entitled.append(point(x(i, days), y(day.entitledSeats(), top)));
                maxPeak = Math.max(maxPeak, day.peakSeats());
                maxEntitled = Math.max(maxEntitled, day.entitledSeats());
            }
            lines.add(new Line(edition.edition(), edition.name(), COLORS.get(edition.edition()), peak.toString().strip(),
                    entitled.toString().strip(), maxPeak, maxEntitled));
        }
        List<Tick> yTicks = new ArrayList<>();
        for (long v = 0; v <= top; v += step) {
            yTicks.add(new Tick(y(v, top), Long.toString(v)));
        }
        List<Tick> xTicks = new ArrayList<>();
        int every = Math.max(1, days / 6);
        for (int i = 0; i < days; i += every) {
            xTicks.add(new Tick(x(i, days), TICK.format(anyDays.get(i).day())));
        }
        return new SeatChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, List.copyOf(lines), xTicks, yTicks,
                days == 0 ? null : anyDays.get(0).day(), days == 0 ? null : anyDays.get(days - 1).day());
    }

    public boolean empty() {
        return lines.isEmpty();
    }

    /** 1, 2 or 5 times a power of ten, so that about four to eight steps reach the top. */
    static long niceStep(long max) {
        long raw = Math.max(1, (max + 4) / 5);
        long power = 1;
        while (power * 10 <= raw) {
            power *= 10;
        }
        for (long factor : new long[] {1, 2, 5, 10}) {
            if (factor * power >= raw) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static double x(int index, int days) {
        return days <= 1 ? LEFT : LEFT + (double) (RIGHT - LEFT) * index / (days - 1);
    }

    private static double y(long value, long top) {
        return BOTTOM - (double) (BOTTOM - TOP) * value / top;
    }

    private static String point(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f ", x, y);
    }
}
