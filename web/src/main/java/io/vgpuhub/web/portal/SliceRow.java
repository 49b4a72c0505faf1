package io.vgpuhub.web.portal;

import io.vgpuhub.metering.usage.UsageSampleView;
import io.vgpuhub.web.licensing.LicenseStatus;
import io.vgpuhub.web.slice.SliceState;
import io.vgpuhub.web.slice.SliceView;

/**
 * One line of "my slices": the slice, its latest usage sample (null before the first), and the hours it has been
 * allocated since READY with what they cost at its list price (both null until it was READY), and whether it holds a
 * license seat (null when its offering needs none or it no longer runs), and whether its host is not reporting (its
 * agent has been silent past host-offline-after, whatever the host's state: nobody knows whether the slice still runs,
 * a release waits for the host, and its license seat lapses after the grace).
 */
record SliceRow(SliceView slice, UsageSampleView latest, String hoursAllocated, String costSoFar, LicenseStatus license) {

    /**
     * A slice its host still holds, or is letting go of, while that host is silent: whether it runs is not known, and a
     * release waits until the host reports again. Settled-away slices (RELEASED, FAILED) no longer depend on the host.
     */
    public boolean hostOffline() {
        return slice.hostSilent() && (slice.state().isRunning() || slice.state() == SliceState.RELEASING);
    }
}
