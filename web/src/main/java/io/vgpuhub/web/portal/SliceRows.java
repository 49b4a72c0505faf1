package io.vgpuhub.web.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.usage.UsageQueries;
import io.vgpuhub.metering.usage.UsageSampleView;
import io.vgpuhub.web.licensing.LicenseStatus;
import io.vgpuhub.web.licensing.SliceLicenses;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceState;
import io.vgpuhub.web.slice.SliceView;

import org.springframework.stereotype.Component;

/** A tenant's slices with their latest usage and what they have cost so far, as the slices page lists them. */
@Component
class SliceRows {

    private final SliceLifecycle lifecycle;
    private final UsageQueries usage;
    private final Prices prices;
    private final SliceLicenses licenses;
    private final Clock clock;

    SliceRows(SliceLifecycle lifecycle, UsageQueries usage, Prices prices, SliceLicenses licenses) {
        this.licenses = licenses;
        this.lifecycle = lifecycle;
        this.usage = usage;
        this.prices = prices;
        this.clock = Clock.systemUTC();
    }

    List<SliceRow> of(long tenantId) {
        List<SliceView> slices = lifecycle.slicesOf(tenantId);
        Map<Long, UsageSampleView> latest = usage.latestFor(slices.stream().map(SliceView::id).toList());
        Map<Long, LicenseStatus> license = licenses.of(slices);
        Instant now = clock.instant();
        return slices.stream().map(slice -> row(slice, latest.get(slice.id()), license.get(slice.id()), now)).toList();
    }

    private SliceRow row(SliceView slice, UsageSampleView latest, LicenseStatus license, Instant now) {
        if (slice.readyAt() == null) {
            return new SliceRow(slice, latest, null, null, license);
        }
        // Allocated from READY until released, as chargeback bills it; a slice not yet released counts until now.
        Instant end = slice.state() == SliceState.RELEASED && slice.releasedAt() != null ? slice.releasedAt() : now;
        Duration allocated = Duration.between(slice.readyAt(), end);
        if (allocated.isNegative()) {
            allocated = Duration.ZERO;
        }
        return new SliceRow(slice, latest, prices.hours(allocated), prices.cost(slice.pricePerHour(), allocated), license);
    }
}
