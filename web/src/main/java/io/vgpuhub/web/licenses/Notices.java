package io.vgpuhub.web.licenses;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The one-line outcome of a license administrator's action, resolved in their language for the page redirected to. */
@Component("licenseNotices")
class Notices {

    private final MessageSource messages;

    Notices(MessageSource messages) {
        this.messages = messages;
    }

    void done(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("notice", messages.getMessage(key, args, LocaleContextHolder.getLocale()));
    }

    void refused(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("refusal", messages.getMessage(key, args, LocaleContextHolder.getLocale()));
    }
}
