package io.vgpuhub.web.finance.ratecards;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.vgpuhub.metering.chargeback.RateCard;
import io.vgpuhub.metering.chargeback.RateCardDraft;
import io.vgpuhub.metering.chargeback.ratecard.InvalidRateCardException;
import io.vgpuhub.metering.chargeback.ratecard.RateCardDeleteRefusedException;
import io.vgpuhub.metering.chargeback.ratecard.RateCardNotFoundException;
import io.vgpuhub.metering.chargeback.ratecard.RateCards;
import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.web.finance.UnknownFinanceItemException;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Rate cards: the list, one card's prices, a new card (prefilled), the preview of a future card, deleting one. */
@Controller
class RateCardsController {

    /** A price as typed: digits with an optional decimal point (a sign so that RateCards can say "not negative"). */
    private static final Pattern PRICE = Pattern.compile("^-?\\d{1,12}(\\.\\d{1,12})?$");

    private final RateCards rateCards;
    private final RateCardAdmin admin;
    private final RateCardPreview preview;
    private final Notices notices;
    private final String listPriceCurrency;

    RateCardsController(RateCards rateCards, RateCardAdmin admin, RateCardPreview preview, Notices notices,
            // The catalog's list prices are in the portal's currency; a first card starts from them.
            @Value("${vgpuhub.portal.currency:USD}") String listPriceCurrency) {
        this.rateCards = rateCards;
        this.admin = admin;
        this.preview = preview;
        this.notices = notices;
        this.listPriceCurrency = listPriceCurrency;
    }

    @GetMapping("/finance/rate-cards")
    String list(Model model) {
        model.addAttribute("cards", RateCardRow.of(rateCards.cards(), rateCards.today()));
        model.addAttribute("today", rateCards.today());
        return "finance/ratecards/list";
    }

    @GetMapping("/finance/rate-cards/new")
    String newForm(Model model) {
        model.addAttribute("rateCardForm", RateCardForm.of(rateCards.prefill(listPriceCurrency)));
        return formPage(model);
    }

    @PostMapping("/finance/rate-cards")
    String create(@AuthenticationPrincipal PortalUser user, @ModelAttribute("rateCardForm") RateCardForm form,
            BindingResult errors, Model model, RedirectAttributes redirect) {
        RateCardDraft draft = draft(form, errors);
        try {
            if (errors.hasErrors()) {
                // The form's own problems first; the card's rules still speak for every other field.
                rateCards.check(draft);
                return formPage(model);
            }
            RateCard card = admin.create(user, draft);
            notices.done(redirect, "ratecards.created", card.name(), card.effectiveFrom().toString());
            return "redirect:/finance/rate-cards/" + card.id();
        }
        catch (InvalidRateCardException invalid) {
            Set<String> rejected = new HashSet<>();
            errors.getFieldErrors().forEach(e -> rejected.add(e.getField()));
            for (InvalidRateCardException.Problem problem : invalid.problems()) {
                if (rejected.add(problem.field())) {
                    String key = "ratecards.invalid." + baseField(problem.field()) + "." + problem.code();
                    errors.rejectValue(problem.field(), key, problem.args().stream().map(String::valueOf).toArray(), problem.message());
                }
            }
            return formPage(model);
        }
    }

    @GetMapping("/finance/rate-cards/{id}")
    String card(@PathVariable long id, Model model) {
        RateCard card = find(id);
        model.addAttribute("card", card);
        model.addAttribute("state", state(card));
        model.addAttribute("offerings", rateCards.offerings().stream()
                .filter(o -> card.offeringPrices().containsKey(o.id())).toList());
        model.addAttribute("editions", Edition.values());
        return "finance/ratecards/card";
    }

    @GetMapping("/finance/rate-cards/{id}/preview")
    String preview(@PathVariable long id, Model model, RedirectAttributes redirect) {
        RateCard card = find(id);
        if (!card.effectiveFrom().isAfter(rateCards.today())) {
            notices.refused(redirect, "ratecards.preview.inEffect", card.name(), card.effectiveFrom().toString());
            return "redirect:/finance/rate-cards/" + id;
        }
        model.addAttribute("card", card);
        model.addAttribute("preview", preview.of(card));
        return "finance/ratecards/preview";
    }

    @PostMapping("/finance/rate-cards/{id}/delete")
    String delete(@AuthenticationPrincipal PortalUser user, @PathVariable long id, RedirectAttributes redirect) {
        try {
            RateCard card = admin.delete(user, id);
            notices.done(redirect, "ratecards.deleted", card.name(), card.effectiveFrom().toString());
            return "redirect:/finance/rate-cards";
        }
        catch (RateCardNotFoundException unknown) {
            throw new UnknownFinanceItemException("ratecards.error.noCard", String.valueOf(id));
        }
        catch (RateCardDeleteRefusedException refused) {
            notices.refused(redirect, "ratecards.delete." + refused.code(),
                    refused.args().stream().map(String::valueOf).toArray());
            return "redirect:/finance/rate-cards/" + id;
        }
    }

    private RateCard find(long id) {
        try {
            return rateCards.card(id);
        }
        catch (RateCardNotFoundException unknown) {
            throw new UnknownFinanceItemException("ratecards.error.noCard", String.valueOf(id));
        }
    }

    private String state(RateCard card) {
        return RateCardRow.of(rateCards.cards(), rateCards.today()).stream()
                .filter(row -> row.card().id().equals(card.id())).findFirst().map(RateCardRow::state).orElse("past");
    }

    /** The form as a draft: a blank price is no price; one that is not a number is rejected beside its field. */
    private static RateCardDraft draft(RateCardForm form, BindingResult errors) {
        Map<Long, BigDecimal> offeringPrices = new LinkedHashMap<>();
        form.getOfferingPrices().forEach((id, text) -> price(text, "offeringPrices[" + id + "]", errors)
                .ifPresent(price -> offeringPrices.put(id, price)));
        Map<Edition, BigDecimal> seatPrices = new EnumMap<>(Edition.class);
        form.getSeatPrices().forEach((edition, text) -> price(text, "seatPrices[" + edition + "]", errors)
                .ifPresent(price -> seatPrices.put(edition, price)));
        return new RateCardDraft(form.getEffectiveFrom(), form.getCurrency(), form.getName(), form.getNotes(),
                offeringPrices, seatPrices);
    }

    private static java.util.Optional<BigDecimal> price(String text, String field, BindingResult errors) {
        if (text == null || text.isBlank()) {
            return java.util.Optional.empty();
        }
        if (!PRICE.matcher(text.strip()).matches()) {
            errors.rejectValue(field, "ratecards.invalid." + baseField(field) + ".notNumber",
                    new Object[] { text.strip() }, "Enter the price as a number, such as 0.25.");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new BigDecimal(text.strip()));
    }

    /** "offeringPrices[12]" -> "offeringPrices": messages are per field, not per offering. */
    private static String baseField(String field) {
        int index = field.indexOf('[');
        return index < 0 ? field : field.substring(0, index);
    }

    private String formPage(Model model) {
        model.addAttribute("offerings", rateCards.offerings());
        model.addAttribute("editions", Edition.values());
        model.addAttribute("today", rateCards.today());
        return "finance/ratecards/form";
    }
}
