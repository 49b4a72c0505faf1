package io.vgpuhub.web.operator;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The one-line outcome of an operator's action, shown on the page the action redirects to. Resolved to text here,
 * in the operator's language, so the flash attribute is a plain string.
 */
@Component
class Notices {

    private final MessageSource messages;

    Notices(MessageSource messages) {
        this.messages = messages;
    }

    void done(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("notice", text(key, args));
    }

    void refused(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("refusal", text(key, args));
    }

    void refused(RedirectAttributes redirect, RefusedException refusal) {
        refused(redirect, refusal.messageKey(), refusal.args());
    }

    String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }
}
