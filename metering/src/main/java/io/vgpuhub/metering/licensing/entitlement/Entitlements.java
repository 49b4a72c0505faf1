package io.vgpuhub.metering.licensing.entitlement;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The license seats the provider bought, as license administrators record them. Every write is checked as a whole
 * first; a draft with any problem is refused with all of its problems and nothing is written.
 */
@Service
public class Entitlements {

    public static final int MAX_SEATS = 1_000_000;
    public static final int MAX_ORDER_REFERENCE = 100;
    public static final int MAX_NOTES = 2000;
    public static final int FIRST_YEAR = 2000;
    public static final int LAST_YEAR = 2999;

    private final EntitlementRepository entitlements;
    private final Clock clock;

    Entitlements(EntitlementRepository entitlements, Clock clock) {
        this.entitlements = entitlements;
        this.clock = clock;
    }

    /** Every entitlement, by edition, newest first within an edition. */
    @Transactional(readOnly = true)
    public List<EntitlementView> list() {
        return entitlements.findAllByOrderByEditionAscValidFromDescIdDesc().stream().map(Entitlement::view).toList();
    }

    @Transactional(readOnly = true)
    public EntitlementView get(long id) {
        return find(id).view();
    }

    @Transactional
    public EntitlementView create(EntitlementDraft draft) {
        validate(draft);
        return entitlements.saveAndFlush(new Entitlement(draft, now())).view();
    }

    /** @return the entitlement as stored now; unchanged (same updatedAt) when the draft equals what was stored */
    @Transactional
    public EntitlementView update(long id, EntitlementDraft draft) {
        Entitlement entitlement = find(id);
        validate(draft);
        if (!entitlement.draft().equals(draft)) {
            entitlement.apply(draft, now());
            entitlements.flush();
        }
        return entitlement.view();
    }

    /**
     * Ends the entitlement now: its seats stop counting from this instant. One that has not started yet ends where
     * it starts (valid_until := valid_from), so it never counts.
     *
     * @return the ended entitlement, or empty when it had already ended (nothing was changed)
     */
    @Transactional
    public Optional<EntitlementView> expire(long id) {
        Entitlement entitlement = find(id);
        Instant now = now();
        if (entitlement.view().expiredAt(now)) {
            return Optional.empty();
        }
        entitlement.endAt(entitlement.validFrom().isAfter(now) ? entitlement.validFrom() : now, now);
        entitlements.flush();
        return Optional.of(entitlement.view());
    }

    /** PostgreSQL keeps microseconds; an instant returned must be the one stored. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private Entitlement find(long id) {
        return entitlements.findById(id).orElseThrow(() -> new EntitlementNotFoundException(id));
    }

    private static void validate(EntitlementDraft draft) {
        List<InvalidEntitlementException.Problem> problems = new ArrayList<>();
        if (draft.edition() == null) {
            problems.add(problem("edition", "required", "Choose the edition the seats are of."));
        }
        if (draft.seats() == null) {
            problems.add(problem("seats", "required", "Enter how many seats were bought."));
        }
        else if (draft.seats() < 1 || draft.seats() > MAX_SEATS) {
            problems.add(problem("seats", "range", "Seats must be between 1 and " + MAX_SEATS + ", was " + draft.seats() + "."));
        }
        if (draft.validFrom() == null) {
            problems.add(problem("validFrom", "required", "Enter the day the seats are valid from."));
        }
        else if (outOfRange(draft.validFrom()) || (draft.validUntil() != null && outOfRange(draft.validUntil()))) {
            problems.add(problem(outOfRange(draft.validFrom()) ? "validFrom" : "validUntil", "outOfRange",
                    "Use a day between the years " + FIRST_YEAR + " and " + LAST_YEAR + "."));
        }
        else if (draft.validUntil() != null && !draft.validUntil().isAfter(draft.validFrom())) {
            problems.add(problem("validUntil", "notAfterFrom",
                    "The end of validity must come after its start; leave it empty for a perpetual entitlement."));
        }
        if (draft.orderReference() == null || draft.orderReference().isEmpty()) {
            problems.add(problem("orderReference", "required", "Enter the order reference (purchase order or NVIDIA order number)."));
        }
        else if (hasControlCharacters(draft.orderReference(), false)) {
            problems.add(problem("orderReference", "controlCharacters", "The order reference may hold only printable characters."));
        }
        else if (draft.orderReference().length() > MAX_ORDER_REFERENCE) {
            problems.add(problem("orderReference", "tooLong", "The order reference may have at most " + MAX_ORDER_REFERENCE
                    + " characters."));
        }
        if (draft.notes() != null && draft.notes().length() > MAX_NOTES) {
            problems.add(problem("notes", "tooLong", "Notes may have at most " + MAX_NOTES + " characters."));
        }
        else if (draft.notes() != null && hasControlCharacters(draft.notes(), true)) {
            problems.add(problem("notes", "controlCharacters", "Notes may hold only printable characters and line breaks."));
        }
        if (!problems.isEmpty()) {
            throw new InvalidEntitlementException(problems);
        }
    }

    /** PostgreSQL's text refuses NUL, and no order reference or note needs other control characters. */
    private static boolean hasControlCharacters(String text, boolean lineBreaksAllowed) {
        return text.chars().anyMatch(c -> Character.isISOControl(c)
                && !(lineBreaksAllowed && (c == '\n' || c == '\r' || c == '\t')));
    }

    /** Far-off years are typing mistakes, and beyond what PostgreSQL's timestamps hold. */
    private static boolean outOfRange(Instant day) {
        int year = day.atZone(ZoneOffset.UTC).getYear();
        return year < FIRST_YEAR || year > LAST_YEAR;
    }

    private static InvalidEntitlementException.Problem problem(String field, String code, String message) {
        return new InvalidEntitlementException.Problem(field, code, message);
    }
}
