package io.vgpuhub.web.apitoken;

import io.vgpuhub.web.slice.Requester;

/**
 * The caller of the tenant REST API, established by its API token: it acts as the user who issued the token, within
 * that user's tenant, and the audit trail names the token.
 */
public record ApiClient(long tokenId, String tokenName, long tenantId, long userId) {

    public Requester requester() {
        return new Requester(tenantId, userId, "token:" + tokenName);
    }
}
