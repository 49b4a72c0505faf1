package io.vgpuhub.agent.cli;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON writer of the commands' {@code --json} output: indented, for people as much as for scripts. */
final class PrettyJson {

    static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PrettyJson() {
    }
}
