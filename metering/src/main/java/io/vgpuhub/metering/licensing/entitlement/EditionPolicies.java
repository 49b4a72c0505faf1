package io.vgpuhub.metering.licensing.entitlement;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.vgpuhub.metering.licensing.AdmissionPolicy;
import io.vgpuhub.metering.licensing.Edition;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The license administrator's policies: per edition, what happens when its seats run out; and which edition a whole
 * GPU by passthrough needs (its guest runs NVIDIA's own driver, licensed as vWS or vCS by the provider's choice).
 */
@Service
public class EditionPolicies {

    /** The editions a passthrough GPU may be licensed as. */
    public static final Set<Edition> PASSTHROUGH_EDITIONS = EnumSet.of(Edition.VWS, Edition.VCS);

    private final JdbcClient jdbc;

    EditionPolicies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The four editions in the order NVIDIA lists them (vApps, vPC, vWS, vCS). */
    @Transactional(readOnly = true)
    public List<EditionPolicy> editions() {
        return jdbc.sql("select code, name, per_gpu, admission_policy from license_edition")
                .query((rs, n) -> new EditionPolicy(Edition.valueOf(rs.getString(1)), rs.getString(2), rs.getBoolean(3),
                        AdmissionPolicy.valueOf(rs.getString(4))))
                .list().stream().sorted((a, b) -> a.edition().compareTo(b.edition())).toList();
    }

    /** @return whether the policy changed (false: the edition already had it) */
    @Transactional
    public boolean setAdmissionPolicy(Edition edition, AdmissionPolicy policy) {
        return jdbc.sql("update license_edition set admission_policy = ? where code = ? and admission_policy <> ?")
                .params(policy.name(), edition.name(), policy.name()).update() > 0;
    }

    /**
     * The edition passthrough offerings carry now; when they disagree (changed outside vGPU Hub), each of them, so the
     * page can show that and the administrator can set one.
     */
    @Transactional(readOnly = true)
    public Set<Edition> passthroughEditions() {
        Set<Edition> editions = EnumSet.noneOf(Edition.class);
        jdbc.sql("select distinct license_edition from offering where kind = 'PASSTHROUGH'").query(String.class).list()
                .forEach(code -> editions.add(Edition.valueOf(code)));
        return editions;
    }

    /**
     * Sets the edition of every passthrough offering. Slices already running keep the lease they hold; the new
     * edition applies to slices admitted from now on.
     *
     * @return how many offerings changed
     * @throws IllegalArgumentException for an edition other than vWS or vCS
     */
    @Transactional
    public int setPassthroughEdition(Edition edition) {
        if (!PASSTHROUGH_EDITIONS.contains(edition)) {
            throw new IllegalArgumentException("A passthrough GPU is licensed as vWS or vCS, not " + edition + ".");
        }
        return jdbc.sql("update offering set license_edition = ? where kind = 'PASSTHROUGH' and license_edition <> ?")
                .params(edition.name(), edition.name()).update();
    }
}
