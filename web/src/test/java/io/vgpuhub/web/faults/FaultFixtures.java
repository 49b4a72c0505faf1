package io.vgpuhub.web.faults;

import static io.vgpuhub.web.faults.AgentProcess.eventually;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.vgpuhub.web.slice.Requester;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Set-up the fault tests share: the demo tenant user, the simulated host's file, and waiting for its report. */
final class FaultFixtures {

    /** One A40 with four SR-IOV VFs, the line of a simulated host file ({@code --simulate}). */
    static final String AN_A40 = "gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f memory_mib=46068 vfs=4\n";

    private FaultFixtures() {
    }

    /** The demo tenant user alice (tenant Acme Research), as the slice services take her. */
    static Requester alice(JdbcClient jdbc) {
        return jdbc.sql("select tenant_id, id from app_user where username = 'alice'")
                .query((rs, n) -> new Requester(rs.getLong(1), rs.getLong(2), "user:alice")).single();
    }

    /** So that only capacity and seats, never a tenant's quota, limit what the test can request. */
    static void liftTenantQuotas(JdbcClient jdbc) {
        jdbc.sql("update tenant set quota_max_slices = null, quota_max_framebuffer_mib = null").update();
    }

    static long offering(JdbcClient jdbc, String code) {
        return jdbc.sql("select id from offering where code = ?").param(code).query(Long.class).single();
    }

    /** Writes {@code <dir>/host.conf} with the given GPU lines and returns its path. */
    static Path hostFile(Path dir, String gpus) throws IOException {
        Path hostFile = dir.resolve("host.conf");
        Files.writeString(hostFile, gpus);
        return hostFile;
    }

    /** Waits until the agent on a host of {@link #AN_A40} has reported the A40's four VFs. */
    static void awaitTheA40Reported(JdbcClient jdbc, AgentProcess agent, Duration patience) throws Exception {
        eventually("the agent reported its GPU", patience, agent, () ->
                jdbc.sql("select count(*) from virtual_function").query(Long.class).single() == 4);
    }
}
