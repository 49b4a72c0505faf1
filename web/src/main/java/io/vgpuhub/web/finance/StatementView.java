package io.vgpuhub.web.finance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.CostCentreRef;
import io.vgpuhub.metering.chargeback.SliceShowback;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.Subtotal;

/**
 * A statement arranged for its page, for finance and for the tenant alike: its lines grouped by cost centre (by path,
 * as {@link Statement#byCostCentre()} orders them) with each group's subtotal, a slice's showback beside its first line,
 * and the rightsizing hints. Every figure is the statement's own; nothing is recomputed here but sums of its lines.
 */
public record StatementView(Statement statement, List<Group> groups, List<Hint> hints) {

    /** One cost centre's lines and their sum (adjustments are listed apart, and counted in byCostCentre()). */
    public record Group(String path, String name, List<Row> rows, BigDecimal subtotal) {
    }

    /** A line; {@code showback} only on the first line of its slice in the group, null on the others. */
    public record Row(StatementLine line, SliceShowback showback) {
    }

    /** A slice whose month would have fitted a smaller offering. */
    public record Hint(StatementLine firstLine, SliceShowback showback) {
    }

    public static StatementView of(Statement statement) {
        Map<Long, SliceShowback> showback = statement.showback().stream()
                .collect(Collectors.toMap(SliceShowback::sliceId, Function.identity(), (a, b) -> a));
        Map<String, List<StatementLine>> byPath = new TreeMap<>();
        Map<String, CostCentreRef> centres = new LinkedHashMap<>();
        for (StatementLine line : statement.lines()) {
            byPath.computeIfAbsent(line.costCentre().path(), path -> new ArrayList<>()).add(line);
            centres.putIfAbsent(line.costCentre().path(), line.costCentre());
        }
        List<Group> groups = new ArrayList<>();
        List<Hint> hints = new ArrayList<>();
        Set<Long> hinted = new HashSet<>();
        byPath.forEach((path, lines) -> {
            Set<Long> seen = new HashSet<>();
            List<Row> rows = new ArrayList<>();
            BigDecimal subtotal = BigDecimal.ZERO;
            for (StatementLine line : lines) {
                SliceShowback usage = seen.add(line.sliceId()) ? showback.get(line.sliceId()) : null;
                rows.add(new Row(line, usage));
                subtotal = subtotal.add(line.amount());
                if (usage != null && usage.hint() != null && hinted.add(line.sliceId())) {
                    hints.add(new Hint(line, usage));
                }
            }
            groups.add(new Group(path, centres.get(path).name(), List.copyOf(rows), subtotal));
        });
        return new StatementView(statement, List.copyOf(groups), List.copyOf(hints));
    }

    public boolean empty() {
        return statement.lines().isEmpty() && statement.adjustments().isEmpty();
    }

    public List<Subtotal> byOffering() {
        return statement.byOffering();
    }

    public List<Subtotal> byCostCentre() {
        return statement.byCostCentre();
    }

    public List<Adjustment> adjustments() {
        return statement.adjustments();
    }

    /** What the hinted slices would have cost less on the suggested offerings, together. */
    public BigDecimal hintSavings() {
        return hints.stream().map(hint -> hint.showback().hint().saving()).filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
