package io.vgpuhub.web.inventory;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Keeps the server's picture of a host's GPUs and VFs in line with what its agent discovered. */
@Service
public class HostInventory {

    private final JdbcClient jdbc;

    HostInventory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a full inventory report; GPUs and VFs are added or updated, never dropped while slices use them.
     * {@code foreignDevices} are devices on the host that its agent did not create, shown to operators.
     */
    @Transactional
    public void record(long hostId, List<ReportedGpu> gpus, List<String> foreignDevices) {
        for (ReportedGpu gpu : gpus) {
            long gpuId = jdbc.sql("""
                    insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                    values (?, ?, ?, ?, ?, ?)
                    on conflict (host_id, pci_address) do update
                       set uuid = excluded.uuid, model = excluded.model, memory_mib = excluded.memory_mib,
                           mode = excluded.mode, updated_at = now()
                    returning id
                    """).params(hostId, gpu.pciAddress(), gpu.uuid(), gpu.model(), gpu.memoryMib(), gpu.mode().name())
                    .query(Long.class).single();
            for (String vf : gpu.virtualFunctions()) {
                jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?) on conflict do nothing")
                        .params(gpuId, vf).update();
            }
        }
        jdbc.sql("update host set foreign_devices = ? where id = ?")
                .params(foreignDevices.toArray(String[]::new), hostId).update();
        heardFrom(hostId);
    }

    /** The agent is alive; a draining host stays draining. */
    @Transactional
    public void heardFrom(long hostId) {
        jdbc.sql("""
                update host set last_seen_at = now(), state = case when state = 'DRAINING' then state else 'ONLINE' end
                where id = ?
                """).param(hostId).update();
    }
}
