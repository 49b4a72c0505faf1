package io.vgpuhub.web.security;

import java.util.regex.Pattern;

/**
 * What a visitor typed as a user name, before it is known to be one. No user name holds a control character (the
 * schema allows letters, digits and {@code . _ @ -}), but a typed one may: a NUL that PostgreSQL refuses in text, or a
 * line break that would forge a line in the log.
 */
final class TypedNames {

    /** C0 and C1 controls, and the Unicode line and paragraph separators. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029]");

    private TypedNames() {
    }

    static boolean hasControlCharacters(String typed) {
        return CONTROL.matcher(typed).find();
    }

    /** The text with each control character shown as {@code ?}, fit for a log line or an audit row. */
    static String printable(String typed) {
        return CONTROL.matcher(typed).replaceAll("?");
    }
}
