package io.vgpuhub.web.security;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import io.vgpuhub.web.agentapi.AgentApiFixtures;
import io.vgpuhub.web.apitoken.ApiTokens;

/** What the authorization matrix, tenant isolation and bad input tests all start from: the app and its callers' keys. */
abstract class AuthzTestSupport {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokens tokens;

    @Autowired
    AgentApiFixtures agents;

    @Value("${vgpuhub.demo.agent-token}")
    String hostToken;
}
