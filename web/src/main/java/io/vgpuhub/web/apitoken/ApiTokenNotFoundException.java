package io.vgpuhub.web.apitoken;

/** No token with this id belongs to the caller's tenant (it may belong to another one). */
public class ApiTokenNotFoundException extends RuntimeException {

    public ApiTokenNotFoundException(long tokenId) {
        super("No API token " + tokenId);
    }
}
