package io.vgpuhub.web.finance.ratecards;

import io.vgpuhub.metering.chargeback.RateCard;
import io.vgpuhub.metering.chargeback.RateCardDraft;
import io.vgpuhub.metering.chargeback.ratecard.RateCards;
import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finance's rate card changes, each with its audit_event row in the same transaction: both land or neither. */
@Service
class RateCardAdmin {

    private final RateCards rateCards;
    private final AuditEvents audit;

    RateCardAdmin(RateCards rateCards, AuditEvents audit) {
        this.rateCards = rateCards;
        this.audit = audit;
    }

    @Transactional
    RateCard create(PortalUser user, RateCardDraft draft) {
        RateCard card = rateCards.create(draft, user.userId());
        audit.record(user.getUsername(), null, "ratecard.create", target(card), describe(card));
        return card;
    }

    @Transactional
    RateCard delete(PortalUser user, long id) {
        RateCard card = rateCards.delete(id);
        audit.record(user.getUsername(), null, "ratecard.delete", target(card), describe(card));
        return card;
    }

    private static String target(RateCard card) {
        return "rate card " + card.id();
    }

    private static String describe(RateCard card) {
        return "\u201c" + card.name() + "\u201d from " + card.effectiveFrom() + " in " + card.currency() + ", "
                + card.offeringPrices().size() + " offering prices, " + card.seatPrices().size() + " seat prices";
    }
}
