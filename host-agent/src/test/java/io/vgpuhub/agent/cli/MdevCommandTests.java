package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.reconcile.SliceRecord;
import io.vgpuhub.agent.reconcile.SliceStore;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.Sysfs;

/** {@code mdev create|list|remove} against the simulated host. */
class MdevCommandTests {

    static final String VF0 = "0000:41:00.4";
    static final String VF1 = "0000:41:00.5";

    @TempDir
    Path dir;

    Path hostFile;
    Path stateDir;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        hostFile = SimulatedHosts.hostFile(dir, SimulatedHosts.TWO_A40S);
        stateDir = dir.resolve("state");
    }

    @Test
    void createMakesTheMdevRecordsItAndPrintsItsUuid() throws Exception {
        UUID uuid = UUID.randomUUID();

        assertThat(mdev("create", "--parent", VF0, "--type", "A40-8Q", "--uuid", uuid.toString())).isZero();

        assertThat(out.toString()).isEqualTo(uuid + "\n");
        assertThat(sysfs().mdevs()).containsExactly(new Mdev(uuid, VF0, "nvidia-557"));
        assertThat(new SliceStore(stateDir).all()).containsExactly(
                new SliceRecord(uuid, "VGPU", SimulatedHosts.A40_PF, VF0, "nvidia-557", "A40-8Q", SliceRecord.ORIGIN_CLI));
        assertThat(Files.readString(stateDir.resolve("mdevctl.d").resolve(VF0).resolve(uuid.toString())))
                .isEqualTo("{\"mdev_type\":\"nvidia-557\",\"start\":\"auto\",\"attrs\":[]}\n");
    }

    @Test
    void createAcceptsATypeIdAndMakesAUuidWhenNoneIsGiven() {
        assertThat(mdev("create", "--parent", VF1, "--type", "nvidia-555")).isZero();

        UUID uuid = UUID.fromString(out.toString().strip());
        assertThat(sysfs().mdevs()).containsExactly(new Mdev(uuid, VF1, "nvidia-555"));
    }

    @Test
    void aCreateTheKernelRefusesFailsWithItsErrnoAndLeavesNoRecord() {
        assertThat(mdev("create", "--parent", VF0, "--type", "A40-8Q")).isZero();
        UUID second = UUID.randomUUID();
        err.getBuffer().setLength(0);

        assertThat(mdev("create", "--parent", VF0, "--type", "A40-8Q", "--uuid", second.toString())).isEqualTo(1);

        assertThat(err.toString().strip().lines()).singleElement().asString()
                .startsWith("vgpuhub-agent: write '" + second + "'").endsWith("failed: ENOSPC (No space left on device)");
        assertThat(new SliceStore(stateDir).contains(second)).isFalse();
    }

    @Test
    void createRefusesAnUnknownTypeOrParent() {
        assertThat(mdev("create", "--parent", VF0, "--type", "A100-1-5C")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("vgpuhub-agent: no mdev type A100-1-5C on " + VF0 + ": ENOENT");
        err.getBuffer().setLength(0);
        assertThat(mdev("create", "--parent", "0000:42:00.4", "--type", "A40-8Q")).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("vgpuhub-agent: 0000:42:00.4 is not an mdev parent").endsWith(": ENODEV");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(mdev("create", "--type", "A40-8Q")).isEqualTo(2);
        assertThat(mdev("create", "--parent", VF0, "--type", "A40-8Q", "--uuid", "not-a-uuid")).isEqualTo(2);
        assertThat(mdev("create", "--parent", "../../etc", "--type", "A40-8Q")).isEqualTo(2);
        assertThat(mdev("remove")).isEqualTo(2);
        assertThat(run("mdev")).isEqualTo(2);
        assertThat(sysfs().mdevs()).isEmpty();
    }

    @Test
    void listShowsEachMdevWithItsTypeNameAndOwner() {
        UUID byHand = UUID.fromString("11111111-1111-4111-8111-111111111111");
        UUID fromServer = UUID.fromString("22222222-2222-4222-8222-222222222222");
        UUID foreign = UUID.fromString("33333333-3333-4333-8333-333333333333");
        UUID missing = UUID.fromString("44444444-4444-4444-8444-444444444444");
        assertThat(mdev("create", "--parent", VF0, "--type", "A40-8Q", "--uuid", byHand.toString())).isZero();
        Sysfs sysfs = sysfs();
        SliceStore store = new SliceStore(stateDir);
        store.save(new SliceRecord(fromServer, "VGPU", SimulatedHosts.A40_PF, VF1, "nvidia-557", "A40-8Q"));
        sysfs.createMdev(VF1, "nvidia-557", fromServer);
        sysfs.createMdev("0000:41:00.6", "nvidia-557", foreign);
        store.save(new SliceRecord(missing, "VGPU", SimulatedHosts.A40_PF, "0000:41:00.7", "nvidia-557", "A40-8Q"));
        out.getBuffer().setLength(0);

        assertThat(mdev("list")).isZero();

        assertThat(out.toString().lines().map(l -> l.replaceAll("\\s+", " ").strip())).containsExactly(
                "UUID PARENT TYPE NAME OWNER",
                byHand + " " + VF0 + " nvidia-557 NVIDIA A40-8Q agent-cli",
                fromServer + " " + VF1 + " nvidia-557 NVIDIA A40-8Q agent",
                foreign + " 0000:41:00.6 nvidia-557 NVIDIA A40-8Q foreign",
                missing + " 0000:41:00.7 nvidia-557 A40-8Q agent (missing)");
    }

    @Test
    void removeTakesAwayARecordedMdevAndItsRecord() {
        UUID uuid = UUID.randomUUID();
        assertThat(mdev("create", "--parent", VF0, "--type", "A40-8Q", "--uuid", uuid.toString())).isZero();
        out.getBuffer().setLength(0);

        assertThat(mdev("remove", uuid.toString())).isZero();

        assertThat(out.toString()).isEqualTo("removed " + uuid + "\n");
        assertThat(sysfs().mdevs()).isEmpty();
        assertThat(new SliceStore(stateDir).all()).isEmpty();
        assertThat(stateDir.resolve("mdevctl.d").resolve(VF0).resolve(uuid.toString())).doesNotExist();
    }

    @Test
    void removeRefusesAForeignMdevUnlessForced() {
        mdev("list");
        UUID foreign = UUID.randomUUID();
        sysfs().createMdev(VF1, "nvidia-557", foreign);

        assertThat(mdev("remove", foreign.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("vgpuhub-agent: mdev " + foreign
                + " was not created by vGPU Hub (foreign); refusing to remove it without --force: EPERM");
        assertThat(sysfs().mdevs()).extracting(Mdev::uuid).containsExactly(foreign);

        assertThat(mdev("remove", "--force", foreign.toString())).isZero();
        assertThat(sysfs().mdevs()).isEmpty();
    }

    @Test
    void removingAnMdevThatExistsNowhereFailsWithTheKernelsErrno() {
        UUID nowhere = UUID.randomUUID();

        assertThat(mdev("remove", nowhere.toString())).isEqualTo(1);

        assertThat(err.toString().strip().lines()).singleElement().asString()
                .startsWith("vgpuhub-agent: open for write '1' to ").endsWith("failed: ENOENT (No such file or directory)");
    }

    private Sysfs sysfs() {
        return new Sysfs(stateDir.resolve("sim/sys"), KernelFiles.load("vgpusim"));
    }

    private int mdev(String sub, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "mdev";
        all[1] = sub;
        all[2] = "--simulate=" + hostFile;
        all[3] = "--state-dir=" + stateDir;
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    private int run(String... args) {
        return AgentCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
