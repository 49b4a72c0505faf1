package io.vgpuhub.web.i18n;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The one-line outcome of an operator's or license administrator's action, shown on the page the action redirects
 * to. Resolved to text here, in the reader's language, so the flash attribute is a plain string.
 */
@Component
public class Notices {

    private final MessageSource messages;

    Notices(MessageSource messages) {
        this.messages = messages;
    }

    public void done(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("notice", text(key, args));
    }

    public void refused(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("refusal", text(key, args));
    }

    public String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }

    /** The HTML page (view) answering a request that was refused before anything changed: what was wrong, and why. */
    public static ModelAndView refusalPage(String view, HttpStatus status, String message) {
        ModelAndView page = new ModelAndView(view);
        page.setStatus(status);
        page.addObject("message", message);
        page.addObject("status", status.value());
        return page;
    }
}
