package io.vgpuhub.web.agentapi;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param maxWait the longest an agent's desired-state long-poll is held open */
@ConfigurationProperties("vgpuhub.agent-api")
public record AgentApiSettings(@DefaultValue("25s") Duration maxWait) {
}
