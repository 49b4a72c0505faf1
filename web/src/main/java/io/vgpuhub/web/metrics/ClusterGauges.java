package io.vgpuhub.web.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vgpuhub.metering.licensing.report.EditionSeats;
import io.vgpuhub.metering.licensing.report.LicenseReports;
import io.vgpuhub.web.catalog.Catalog;
import io.vgpuhub.web.catalog.Offering;
import io.vgpuhub.web.placement.FreeCapacity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The gauges read from the database: live slices by state and offering, free capacity per offering, license seats
 * per edition, and hosts by state.
 *
 * <p>Each family is read at once (slices and hosts with one query each, free capacity and seats with the very calls
 * the catalog and the license pages make) every {@code vgpuhub.metrics.refresh-interval}, not at scrape time. So the database sees the same
 * few queries per replica however many Prometheus servers scrape and however often, a scrape never waits on the
 * database (nor times out behind a slow one), and a value is at most one interval old. A family that cannot be
 * read shows no series until it can, rather than numbers that are no longer true.
 *
 * <p>The host counts and the longest-silent hosts of the last good read are kept for the {@code agents} health
 * component, so that the public health endpoint, however often it is hit, costs the database nothing.
 */
@Component
class ClusterGauges {

    private static final Logger log = LoggerFactory.getLogger(ClusterGauges.class);

    /** Every state but RELEASED: a FAILED slice still holds its place until it is released. */
    static final List<String> LIVE_STATES = List.of("REQUESTED", "PLACED", "PROVISIONING", "READY", "RELEASING", "FAILED");
    /** Silent hosts kept by name: enough to act on; the count says how many there are in all. */
    static final int SILENT_HOSTS_NAMED = 10;

    /**
     * The hosts by state as the last refresh read them.
     *
     * @param silentHosts the longest silent, at most {@link #SILENT_HOSTS_NAMED}
     * @param readAt      when they were read; at most one refresh interval ago while the database answers
     */
    record Agents(HostStates.Counts counts, List<HostStates.SilentHost> silentHosts, Instant readAt) {
    }

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final FreeCapacity capacity;
    private final LicenseReports licenses;
    private final HostStates hosts;
    private final Clock clock;
    private volatile Agents lastAgents;

    private final GaugeFamily slices;
    private final GaugeFamily freeSlices;
    private final GaugeFamily seats;
    private final GaugeFamily agents;

    ClusterGauges(JdbcClient jdbc, Catalog catalog, FreeCapacity capacity, LicenseReports licenses, HostStates hosts,
            Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.capacity = capacity;
        this.licenses = licenses;
        this.hosts = hosts;
        this.clock = clock;
        slices = new GaugeFamily(registry, "vgpuhub.slices", "Slices not yet released, by state and offering");
        freeSlices = new GaugeFamily(registry, "vgpuhub.offering.free.slices",
                "How many more slices of each enabled offering the cluster could place now, each offering on its own");
        seats = new GaugeFamily(registry, "vgpuhub.license.seats",
                "License seats per edition: used by running leases, and free (entitled minus used; negative when over)");
        agents = new GaugeFamily(registry, "vgpuhub.agents",
                "Hosts by state: online (reporting), offline (silent or marked offline), draining");
    }

    /** Reads every family again; synchronized so that a refresh begun later never publishes before one begun earlier. */
    synchronized void refresh() {
        refresh(slices, this::slicesByStateAndOffering);
        refresh(freeSlices, this::freeSlicesByOffering);
        refresh(seats, this::seatsByEdition);
        refresh(agents, this::hostsByState);
    }

    /** The hosts by state as the last good refresh read them; empty until one has. */
    Optional<Agents> agents() {
        return Optional.ofNullable(lastAgents);
    }

    private static void refresh(GaugeFamily family, Supplier<Map<Tags, Long>> read) {
        try {
            family.publish(read.get());
        }
        catch (RuntimeException e) {
            log.warn("metrics: could not read a gauge family, its series are withdrawn until it can be read", e);
            family.publish(Map.of());
        }
    }

    /** Zeros for every enabled offering too, so a series drops to 0 instead of disappearing. */
    private Map<Tags, Long> slicesByStateAndOffering() {
        Map<Tags, Long> counts = new HashMap<>();
        for (Offering offering : catalog.enabledOfferings()) {
            for (String state : LIVE_STATES) {
                counts.put(sliceTags(state, offering.code()), 0L);
            }
        }
        jdbc.sql("""
                select s.state, o.code, count(*) as slices from slice s join offering o on o.id = s.offering_id
                where s.state <> 'RELEASED' group by s.state, o.code
                """).query((rs, row) -> counts.put(sliceTags(rs.getString("state"), rs.getString("code")),
                        rs.getLong("slices"))).list();
        return counts;
    }

    private static Tags sliceTags(String state, String offering) {
        return Tags.of("state", state, "offering", offering);
    }

    private Map<Tags, Long> freeSlicesByOffering() {
        Map<Long, Integer> free = capacity.freeInstancesByOffering();
        Map<Tags, Long> result = new HashMap<>();
        for (Offering offering : catalog.enabledOfferings()) {
            Integer count = free.get(offering.id());
            if (count != null) {
                result.put(Tags.of("offering", offering.code()), count.longValue());
            }
        }
        return result;
    }

    private Map<Tags, Long> seatsByEdition() {
        Map<Tags, Long> result = new HashMap<>();
        for (EditionSeats edition : licenses.seatsNow()) {
            result.put(Tags.of("edition", edition.edition().name(), "status", "used"), edition.used());
            result.put(Tags.of("edition", edition.edition().name(), "status", "free"), edition.free());
        }
        return result;
    }

    private Map<Tags, Long> hostsByState() {
        Instant readAt = clock.instant();
        HostStates.Counts counts = hosts.counts();
        lastAgents = new Agents(counts, hosts.silent(SILENT_HOSTS_NAMED), readAt);
        return Map.of(Tags.of("state", "online"), counts.online(), Tags.of("state", "offline"), counts.offline(),
                Tags.of("state", "draining"), counts.draining());
    }
}
