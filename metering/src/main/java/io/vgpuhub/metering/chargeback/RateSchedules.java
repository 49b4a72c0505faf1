package io.vgpuhub.metering.chargeback;

import org.springframework.stereotype.Service;

/** Reads the stored rate cards. (Issue 6 foundation: the engine fills this in.) */
@Service
public class RateSchedules {

    /** Every stored card, earliest first. */
    public RateSchedule current() {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }
}
