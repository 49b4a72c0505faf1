package io.vgpuhub.web.agentapi;

/** The host an agent request comes from, established by its token; a host only ever sees its own slices. */
public record AgentHost(long id, String name) {
}
