package io.vgpuhub.web.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** PUT /api/agent/v1/inventory: what the agent discovered is stored for its own host, all of it or nothing. */
@AgentApiTest
class InventoryApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    @Test
    void aFullReportStoresTheGpusWithTheirCatalogModelTypesProfilesAndMigLayout() throws Exception {
        Host host = fixtures.host();
        String a40 = AgentApiFixtures.gpuUuid();
        String a100 = AgentApiFixtures.gpuUuid();
        String migDevice = AgentApiFixtures.migUuid();
        mvc.perform(host.put("/inventory", """
                {"hostname": "gpu-node-7", "agentVersion": "0.2.0", "foreignDevices": ["mdev 1234 (nvidia-557 on 0000:41:00.7)"],
                 "gpus": [
                   {"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "NVIDIA A40", "memoryMib": 46068, "mode": "VGPU",
                    "virtualFunctions": ["0000:41:00.4", "0000:41:00.5"], "sriov": true, "migCapable": false,
                    "vgpuTypes": [{"name": "A40-8Q", "framebufferMib": 8192, "maxInstances": 6},
                                  {"name": "A40-48Q", "framebufferMib": 49152, "maxInstances": 1}],
                    "migProfiles": [], "migInstances": [], "passthroughBound": false},
                   {"pciAddress": "0000:81:00.0", "uuid": "%s", "name": "NVIDIA A100 80GB PCIe", "memoryMib": 81920,
                    "mode": "MIG", "virtualFunctions": [], "sriov": true, "migCapable": true, "vgpuTypes": [],
                    "migProfiles": [{"name": "3g.40gb", "profileId": 9, "memorySlices": 4, "startSlots": [0, 4],
                                     "maxInstances": 2, "memoryMib": 40192},
                                    {"name": "MIG 1g.10gb", "profileId": 19, "memorySlices": 1,
                                     "startSlots": [0, 1, 2, 3, 4, 5, 6], "maxInstances": 7, "memoryMib": 9856}],
                    "migInstances": [{"profile": "3g.40gb", "startSlot": 4, "size": 4, "deviceUuid": "%s"}],
                    "passthroughBound": false}
                 ]}
                """.formatted(a40, a100, migDevice))).andExpect(status().isNoContent());

        assertThat(jdbc.sql("select agent_version, state from host where id = ?").param(host.id()).query().singleRow())
                .containsEntry("agent_version", "0.2.0").containsEntry("state", "ONLINE");
        assertThat(jdbc.sql("""
                select model, mode, reported_mode, mig_capable, sriov, passthrough_bound from gpu where uuid = ?
                """).param(a100).query().singleRow())
                .containsEntry("model", "A100-80GB").containsEntry("mode", "MIG").containsEntry("reported_mode", "MIG")
                .containsEntry("mig_capable", true).containsEntry("sriov", true).containsEntry("passthrough_bound", false);
        assertThat(jdbc.sql("select model from gpu where uuid = ?").param(a40).query(String.class).single()).isEqualTo("A40");
        assertThat(jdbc.sql("""
                select t.vgpu_type || ':' || t.framebuffer_mib || ':' || t.max_instances from gpu_vgpu_type t
                join gpu g on g.id = t.gpu_id where g.uuid = ? order by t.vgpu_type
                """).param(a40).query(String.class).list()).containsExactly("A40-48Q:49152:1", "A40-8Q:8192:6");
        assertThat(jdbc.sql("""
                select p.mig_profile || ':' || p.mig_slices || ':' || array_to_string(p.start_slots, ',') || ':'
                       || p.max_instances || ':' || p.memory_mib
                from gpu_mig_profile p join gpu g on g.id = p.gpu_id where g.uuid = ? order by p.mig_slices
                """).param(a100).query(String.class).list())
                .containsExactly("1g.10gb:1:0,1,2,3,4,5,6:7:9856", "3g.40gb:4:0,4:2:40192");
        assertThat(jdbc.sql("""
                select i.mig_profile || '@' || i.start_slot || '+' || i.size || ' ' || i.device_uuid
                from gpu_mig_instance i join gpu g on g.id = i.gpu_id where g.uuid = ?
                """).param(a100).query(String.class).list()).containsExactly("3g.40gb@4+4 " + migDevice);
        assertThat(jdbc.sql("select count(*) from virtual_function v join gpu g on g.id = v.gpu_id where g.uuid = ?")
                .param(a40).query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select array_to_string(foreign_devices, '|') from host where id = ?").param(host.id())
                .query(String.class).single()).contains("nvidia-557");
    }

    @Test
    void theModeIsTheAgentsOnlyWhenTheGpuIsFirstSeenAfterwardsTheOperatorsWishStands() throws Exception {
        Host host = fixtures.host();
        String uuid = AgentApiFixtures.gpuUuid();
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "VGPU"))).andExpect(status().isNoContent());
        assertThat(modes(uuid)).containsEntry("mode", "VGPU").containsEntry("reported_mode", "VGPU");

        jdbc.sql("update gpu set mode = 'PASSTHROUGH' where uuid = ?").param(uuid).update();
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "VGPU"))).andExpect(status().isNoContent());
        assertThat(modes(uuid)).as("the operator's choice survives the agent's report")
                .containsEntry("mode", "PASSTHROUGH").containsEntry("reported_mode", "VGPU");

        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "PASSTHROUGH"))).andExpect(status().isNoContent());
        assertThat(modes(uuid)).containsEntry("mode", "PASSTHROUGH").containsEntry("reported_mode", "PASSTHROUGH");
    }

    @Test
    void anOlderAgentsReportWithoutTheNewFieldsKeepsWhatTheServerKnew() throws Exception {
        Host host = fixtures.host();
        String uuid = AgentApiFixtures.gpuUuid();
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "VGPU"))).andExpect(status().isNoContent());
        assertThat(jdbc.sql("select sriov, mig_capable from gpu where uuid = ?").param(uuid).query().singleRow())
                .as("a new GPU without the fields is SR-IOV and not MIG capable")
                .containsEntry("sriov", true).containsEntry("mig_capable", false);

        mvc.perform(host.put("/inventory", """
                {"gpus": [{"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "Tesla T4", "memoryMib": 15360,
                           "mode": "VGPU", "virtualFunctions": [], "sriov": false,
                           "vgpuTypes": [{"name": "T4-4Q", "framebufferMib": 4096, "maxInstances": 4}]}]}
                """.formatted(uuid))).andExpect(status().isNoContent());
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "VGPU"))).andExpect(status().isNoContent());

        assertThat(jdbc.sql("select sriov from gpu where uuid = ?").param(uuid).query(Boolean.class).single()).isFalse();
        assertThat(types(uuid)).as("types are replaced only by a report that carries them").containsExactly("T4-4Q");
        assertThat(jdbc.sql("select agent_version from host where id = ?").param(host.id()).query().singleRow())
                .containsEntry("agent_version", null);
    }

    @Test
    void aReportReplacesTheTypesAndProfilesItCarriesAndSkipsNamesNoOfferingCanCarry() throws Exception {
        Host host = fixtures.host();
        String uuid = AgentApiFixtures.gpuUuid();
        mvc.perform(host.put("/inventory", withTypes(uuid, """
                [{"name": "A40-8Q", "framebufferMib": 8192, "maxInstances": 6},
                 {"name": "A40-4Q", "framebufferMib": 4096, "maxInstances": 12}]
                """))).andExpect(status().isNoContent());
        mvc.perform(host.put("/inventory", withTypes(uuid, """
                [{"name": "NVIDIA A40-8Q", "framebufferMib": 8192, "maxInstances": 5},
                 {"name": "A40-2B4", "framebufferMib": 2048, "maxInstances": 24}]
                """))).andExpect(status().isNoContent());
        assertThat(jdbc.sql("""
                select t.vgpu_type || ':' || t.max_instances from gpu_vgpu_type t join gpu g on g.id = t.gpu_id where g.uuid = ?
                """).param(uuid).query(String.class).list()).containsExactly("A40-8Q:5");
    }

    @Test
    void aHostCannotClaimAGpuRecordedOnAnotherHostAndNothingOfItsReportIsStored() throws Exception {
        Host a = fixtures.host();
        Host b = fixtures.host();
        String shared = AgentApiFixtures.gpuUuid();
        mvc.perform(a.put("/inventory", oldAgentReport(shared, "VGPU"))).andExpect(status().isNoContent());

        String bOwn = AgentApiFixtures.gpuUuid();
        mvc.perform(b.put("/inventory", """
                {"agentVersion": "9.9.9", "foreignDevices": ["something"], "gpus": [
                  {"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "NVIDIA A40", "memoryMib": 46068, "mode": "VGPU",
                   "virtualFunctions": ["0000:41:00.4"]},
                  {"pciAddress": "0000:42:00.0", "uuid": "%s", "name": "NVIDIA A40", "memoryMib": 46068, "mode": "VGPU",
                   "virtualFunctions": ["0000:42:00.4"]}]}
                """.formatted(bOwn, shared)))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("GPU recorded elsewhere"))
                .andExpect(jsonPath("$.detail").value(containsString(shared)))
                .andExpect(jsonPath("$.detail").value(containsString("Nothing of this inventory was stored")))
                .andExpect(jsonPath("$.detail").value(not(containsString(a.name()))));

        assertThat(jdbc.sql("select count(*) from gpu where host_id = ?").param(b.id()).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select host_id from gpu where uuid = ?").param(shared).query(Long.class).single()).isEqualTo(a.id());
        assertThat(jdbc.sql("select agent_version, state, cardinality(foreign_devices) as foreign from host where id = ?")
                .param(b.id()).query().singleRow())
                .containsEntry("agent_version", null).containsEntry("state", "OFFLINE").containsEntry("foreign", 0);
    }

    @Test
    void aGpuReportedAtAnotherPciAddressOfTheSameHostIsAConflictToo() throws Exception {
        Host host = fixtures.host();
        String uuid = AgentApiFixtures.gpuUuid();
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "VGPU"))).andExpect(status().isNoContent());
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "VGPU").replace("0000:41:00.0", "0000:c1:00.0")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("is recorded at PCI address 0000:41:00.0")));
    }

    @Test
    void badReportsAreRefusedWithAProblemDetailAndChangeNothing() throws Exception {
        Host host = fixtures.host();
        String uuid = AgentApiFixtures.gpuUuid();
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "VGPU").replace("0000:41:00.0", "41:00.0")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(host.put("/inventory", oldAgentReport(uuid, "SOMETHING_ELSE")))
                .andExpect(status().isBadRequest());
        mvc.perform(host.put("/inventory", """
                {"gpus": [{"pciAddress": "0000:81:00.0", "uuid": "%s", "name": "NVIDIA A100-SXM4-40GB", "memoryMib": 40960,
                           "mode": "MIG", "virtualFunctions": [],
                           "migInstances": [{"profile": "4g.20gb", "startSlot": 0, "size": 4},
                                            {"profile": "3g.20gb", "startSlot": 2, "size": 4}]}]}
                """.formatted(uuid)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.title").value("Inventory refused"))
                .andExpect(jsonPath("$.detail").value(containsString("overlap at memory slice 2")));
        mvc.perform(host.put("/inventory", """
                {"gpus": [{"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "NVIDIA A40", "memoryMib": 46068,
                           "mode": "VGPU", "virtualFunctions": []},
                          {"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "NVIDIA A40", "memoryMib": 46068,
                           "mode": "VGPU", "virtualFunctions": []}]}
                """.formatted(uuid, AgentApiFixtures.gpuUuid())))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.detail").value(containsString("0000:41:00.0 is reported for two GPUs")));

        assertThat(jdbc.sql("select count(*) from gpu where host_id = ?").param(host.id()).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select state from host where id = ?").param(host.id()).query(String.class).single())
                .isEqualTo("OFFLINE");
    }

    @Test
    void withoutAHostTokenTheInventoryIsRefused() throws Exception {
        mvc.perform(put("/api/agent/v1/inventory")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"gpus\": []}"))
                .andExpect(status().isUnauthorized());
    }

    private Map<String, Object> modes(String uuid) {
        return jdbc.sql("select mode, reported_mode from gpu where uuid = ?").param(uuid).query().singleRow();
    }

    private List<String> types(String uuid) {
        return jdbc.sql("select t.vgpu_type from gpu_vgpu_type t join gpu g on g.id = t.gpu_id where g.uuid = ?")
                .param(uuid).query(String.class).list();
    }

    /** The report of the first agent version: identity, mode and VFs only. */
    private static String oldAgentReport(String uuid, String mode) {
        return """
                {"hostname": "node", "gpus": [{"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "NVIDIA A40",
                  "memoryMib": 46068, "mode": "%s", "virtualFunctions": ["0000:41:00.4"]}], "foreignDevices": []}
                """.formatted(uuid, mode);
    }

    private static String withTypes(String uuid, String types) {
        return """
                {"gpus": [{"pciAddress": "0000:41:00.0", "uuid": "%s", "name": "NVIDIA A40", "memoryMib": 46068,
                           "mode": "VGPU", "virtualFunctions": [], "vgpuTypes": %s}]}
                """.formatted(uuid, types);
    }
}
