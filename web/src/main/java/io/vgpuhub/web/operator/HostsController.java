package io.vgpuhub.web.operator;

import java.time.Instant;

import io.vgpuhub.web.placement.PlacementSettings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The operator's view of hosts: whether their agents report, and what their GPUs carry. */
@Controller
class HostsController {

    private final JdbcClient jdbc;
    private final PlacementSettings placement;

    HostsController(JdbcClient jdbc, PlacementSettings placement) {
        this.jdbc = jdbc;
        this.placement = placement;
    }

    record HostRow(String name, String state, Instant lastSeenAt, boolean reporting, long gpus, long virtualFunctions,
            long liveSlices, String foreignDevices) {
    }

    @GetMapping("/operator/hosts")
    String hosts(Model model) {
        model.addAttribute("hosts", jdbc.sql("""
                select h.name, h.state, h.last_seen_at,
                       coalesce(h.last_seen_at > now() - make_interval(secs => ?), false) as reporting,
                       (select count(*) from gpu g where g.host_id = h.id) as gpus,
                       (select count(*) from virtual_function v join gpu g on g.id = v.gpu_id where g.host_id = h.id)
                           as virtual_functions,
                       (select count(*) from slice s join gpu g on g.id = s.gpu_id
                        where g.host_id = h.id and s.state <> 'RELEASED') as live_slices,
                       array_to_string(h.foreign_devices, ', ') as foreign_devices
                from host h order by h.name
                """).param(placement.hostOfflineAfter().toSeconds()).query(HostRow.class).list());
        return "operator/hosts";
    }
}
