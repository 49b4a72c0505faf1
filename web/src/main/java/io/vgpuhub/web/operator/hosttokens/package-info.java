/**
 * Hosts' agent tokens, for the operator: register a host (its token shown once), rotate its token, revoke it. Only a
 * token's SHA-256 is stored ({@link io.vgpuhub.web.agentapi.HostTokens}); every change is audited in its transaction.
 */
package io.vgpuhub.web.operator.hosttokens;
