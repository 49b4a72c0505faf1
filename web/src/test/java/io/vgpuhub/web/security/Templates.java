package io.vgpuhub.web.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The portal's Thymeleaf templates as the checks of their markup read them. */
final class Templates {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");

    private Templates() {
    }

    /**
     * Every template's text by its path, HTML comments removed: comments are not markup, a browser runs and posts
     * nothing in them.
     */
    static Map<Path, String> withoutComments() throws IOException {
        Map<Path, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            for (Path template : files.filter(f -> f.toString().endsWith(".html")).toList()) {
                texts.put(template, Files.readString(template).replaceAll("(?s)<!--.*?-->", ""));
            }
        }
        return texts;
    }
}
