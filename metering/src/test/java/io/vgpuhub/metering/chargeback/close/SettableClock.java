package io.vgpuhub.metering.chargeback.close;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock the close tests set: "now" is whatever month the test lives in, long ended in real time. */
final class SettableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    SettableClock() {
        this(new AtomicReference<>(Instant.parse("2000-01-01T00:00:00Z")), ZoneOffset.UTC);
    }

    private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same settable instant seen in another zone: setting either clock moves both. */
    @Override
    public Clock withZone(ZoneId other) {
        return new SettableClock(now, other);
    }
}
