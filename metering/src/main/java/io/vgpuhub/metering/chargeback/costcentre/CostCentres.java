package io.vgpuhub.metering.chargeback.costcentre;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenants' cost centres as finance manages them: each tenant's root (made with the tenant) and sub cost centres one
 * level under it. Codes are unique within a tenant regardless of case, so "cc-1" and "CC-1" never name two different
 * places to bill. A cost centre that anything bills to stays; every refusal leaves everything as it was.
 */
@Service
public class CostCentres {

    /** cost_centre.code's check in V9. */
    public static final String CODE_REGEX = "^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$";
    public static final int MAX_CODE = 32;
    public static final int MAX_NAME = 100;
    private static final Pattern CODE = Pattern.compile(CODE_REGEX);

    private static final String SELECT = """
            select c.id, c.tenant_id, c.code, c.name, c.parent_id, p.code,
                   (select count(*) from slice s where s.cost_centre_id = c.id and s.state not in ('RELEASED', 'FAILED'))
            from cost_centre c left join cost_centre p on p.id = c.parent_id
            """;

    private final JdbcClient jdbc;

    CostCentres(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every tenant, by name, with its root's code and how many sub cost centres it has. */
    @Transactional(readOnly = true)
    public List<TenantCostCentreSummary> tenants() {
        return jdbc.sql("""
                select t.id, t.name, r.code,
                       (select count(*) from cost_centre s where s.tenant_id = t.id and s.parent_id is not null)
                from tenant t join cost_centre r on r.tenant_id = t.id and r.parent_id is null
                order by t.name""")
                .query((rs, n) -> new TenantCostCentreSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
                .list();
    }

    /** @throws CostCentreNotFoundException when there is no such tenant */
    @Transactional(readOnly = true)
    public TenantCostCentres forTenant(long tenantId) {
        String tenantName = jdbc.sql("select name from tenant where id = ?").param(tenantId).query(String.class).optional()
                .orElseThrow(() -> CostCentreNotFoundException.tenant(tenantId));
        List<CostCentre> all = jdbc.sql(SELECT + " where c.tenant_id = ? order by c.parent_id nulls first, c.code")
                .param(tenantId).query(CostCentres::map).list();
        return new TenantCostCentres(tenantId, tenantName, all.get(0), all.subList(1, all.size()));
    }

    /** The tenant's cost centre of that code (any case), if it has one. */
    @Transactional(readOnly = true)
    public Optional<CostCentre> find(long tenantId, String code) {
        if (code == null) {
            return Optional.empty();
        }
        return jdbc.sql(SELECT + " where c.tenant_id = ? and lower(c.code) = lower(?) order by c.code = ? desc limit 1")
                .params(tenantId, code.strip(), code.strip()).query(CostCentres::map).optional();
    }

    /**
     * The id of the tenant's cost centre of that code, held (FOR SHARE) until the caller's transaction ends so it
     * cannot be deleted under a slice being inserted: for slice requests, inside their transaction.
     *
     * @throws CostCentreNotFoundException when the tenant has no such cost centre (another tenant's code included)
     */
    @Transactional
    public long forSlice(long tenantId, String code) {
        return jdbc.sql("""
                select id from cost_centre where tenant_id = ? and lower(code) = lower(?)
                order by code = ? desc limit 1 for share""")
                .params(tenantId, code.strip(), code.strip()).query(Long.class).optional()
                .orElseThrow(() -> CostCentreNotFoundException.code(code.strip()));
    }

    /**
     * A sub cost centre under the tenant's root.
     *
     * @throws InvalidCostCentreException with every problem (code format or taken, name); nothing is written then
     * @throws CostCentreNotFoundException when there is no such tenant
     */
    @Transactional
    public CostCentre create(long tenantId, String code, String name) {
        TenantCostCentres tenant = forTenant(tenantId);
        String cleanCode = code == null ? null : code.strip();
        String cleanName = name == null ? null : name.strip();
        check(tenant, null, cleanCode, cleanName);
        try {
            long id = jdbc.sql("insert into cost_centre (tenant_id, parent_id, code, name) values (?, ?, ?, ?) returning id")
                    .params(tenantId, tenant.root().id(), cleanCode, cleanName).query(Long.class).single();
            return get(tenantId, id);
        }
        catch (DuplicateKeyException raced) {
            throw taken(cleanCode);
        }
    }

    /**
     * Changes a cost centre's code and name (the root's too: finance may book a tenant under its own code). Closed
     * statements keep the code and name they were closed with.
     *
     * @return the cost centre as stored now, or empty when it already had this code and name (nothing was written)
     * @throws InvalidCostCentreException with every problem; nothing is written then
     * @throws CostCentreNotFoundException when the tenant has no such cost centre
     */
    @Transactional
    public Optional<CostCentre> update(long tenantId, long id, String code, String name) {
        TenantCostCentres tenant = forTenant(tenantId);
        CostCentre current = get(tenantId, id);
        String cleanCode = code == null ? null : code.strip();
        String cleanName = name == null ? null : name.strip();
        check(tenant, current, cleanCode, cleanName);
        if (current.code().equals(cleanCode) && current.name().equals(cleanName)) {
            return Optional.empty();
        }
        try {
            jdbc.sql("update cost_centre set code = ?, name = ? where id = ? and tenant_id = ?")
                    .params(cleanCode, cleanName, id, tenantId).update();
        }
        catch (DuplicateKeyException raced) {
            throw taken(cleanCode);
        }
        return Optional.of(get(tenantId, id));
    }

    /**
     * Deletes a sub cost centre nothing bills to.
     *
     * @return the deleted cost centre
     * @throws CostCentreInUseException for the root, or when a slice (live or not), an adjustment or a closed
     *                                  statement line names it; nothing is changed then
     * @throws CostCentreNotFoundException when the tenant has no such cost centre
     */
    @Transactional
    public CostCentre delete(long tenantId, long id) {
        CostCentre current = jdbc.sql(SELECT + " where c.tenant_id = ? and c.id = ? for update of c")
                .params(tenantId, id).query(CostCentres::map).optional().orElseThrow(() -> CostCentreNotFoundException.id(id));
        if (current.root()) {
            throw new CostCentreInUseException(current.code(), 0, 0, 0);
        }
        long slices = count("select count(*) from slice where cost_centre_id = ?", id);
        long adjustments = count("select count(*) from billing_adjustment where cost_centre_id = ?", id);
        long lines = count("select count(*) from statement_line where cost_centre_id = ?", id);
        if (slices + adjustments + lines > 0) {
            throw new CostCentreInUseException(current.code(), slices, adjustments, lines);
        }
        try {
            jdbc.sql("delete from cost_centre where id = ?").param(id).update();
        }
        catch (DataIntegrityViolationException raced) {
            // A slice or adjustment naming it committed between the counts and the delete.
            throw new CostCentreInUseException(current.code(), Math.max(1, slices), adjustments, lines);
        }
        return current;
    }

    private CostCentre get(long tenantId, long id) {
        return jdbc.sql(SELECT + " where c.tenant_id = ? and c.id = ?").params(tenantId, id).query(CostCentres::map)
                .optional().orElseThrow(() -> CostCentreNotFoundException.id(id));
    }

    private long count(String sql, long id) {
        return jdbc.sql(sql).param(id).query(Long.class).single();
    }

    private static void check(TenantCostCentres tenant, CostCentre self, String code, String name) {
        List<InvalidCostCentreException.Problem> problems = new ArrayList<>();
        if (code == null || code.isEmpty()) {
            problems.add(new InvalidCostCentreException.Problem("code", "required",
                    "Enter the code finance books against, such as CC-4711."));
        }
        else if (code.length() > MAX_CODE) {
            problems.add(new InvalidCostCentreException.Problem("code", "tooLong",
                    "A code has at most " + MAX_CODE + " characters."));
        }
        else if (!CODE.matcher(code).matches()) {
            problems.add(new InvalidCostCentreException.Problem("code", "pattern",
                    "A code is letters, digits, dots, dashes, underscores or slashes, starting with a letter or digit."));
        }
        else if (tenant.all().stream().anyMatch(c -> (self == null || c.id() != self.id())
                && c.code().equalsIgnoreCase(code))) {
            problems.add(taken(code).problems().get(0));
        }
        if (name == null || name.isEmpty()) {
            problems.add(new InvalidCostCentreException.Problem("name", "required", "Give the cost centre a name."));
        }
        else if (name.length() > MAX_NAME) {
            problems.add(new InvalidCostCentreException.Problem("name", "tooLong",
                    "A name has at most " + MAX_NAME + " characters."));
        }
        else if (name.chars().anyMatch(Character::isISOControl)) {
            problems.add(new InvalidCostCentreException.Problem("name", "controlCharacters",
                    "A name may hold only printable characters."));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCostCentreException(problems);
        }
    }

    private static InvalidCostCentreException taken(String code) {
        return new InvalidCostCentreException(List.of(new InvalidCostCentreException.Problem("code", "taken",
                "The tenant already has a cost centre " + code + "; codes are unique within a tenant.")));
    }

    private static CostCentre map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Long parent = rs.getObject(5, Long.class);
        return new CostCentre(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), parent, rs.getString(6),
                rs.getLong(7));
    }
}
