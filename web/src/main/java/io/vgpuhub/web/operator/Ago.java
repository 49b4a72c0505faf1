package io.vgpuhub.web.operator;

/** "n units ago" for operator pages, in a unit that keeps n readable; negative ages (clock skew) read as zero. */
record Ago(long seconds) {

    static Ago of(Long seconds) {
        return new Ago(seconds == null ? 0 : Math.max(0, seconds));
    }

    /** The message key, e.g. operator.ago.minutes, which takes {@link #amount()}. */
    public String key() {
        if (seconds < 120) {
            return "operator.ago.seconds";
        }
        if (seconds < 120 * 60) {
            return "operator.ago.minutes";
        }
        return seconds < 48 * 3600 ? "operator.ago.hours" : "operator.ago.days";
    }

    public long amount() {
        return switch (key()) {
            case "operator.ago.seconds" -> seconds;
            case "operator.ago.minutes" -> seconds / 60;
            case "operator.ago.hours" -> seconds / 3600;
            default -> seconds / 86400;
        };
    }
}
