package io.vgpuhub.metering.chargeback.close;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock the close tests set: "now" is whatever month the test lives in, long ended in real time. */
final class SettableClock extends Clock {

    private volatile Instant now = Instant.parse("2000-01-01T00:00:00Z");

    void set(Instant instant) {
        this.now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the close tests' clock is UTC only");
    }
}
