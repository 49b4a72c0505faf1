package io.vgpuhub.web.api;

/** A request that is well-formed JSON but asks for something that cannot be, pinned to one of its fields. */
class InvalidApiRequestException extends RuntimeException {

    private final String field;

    InvalidApiRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
