package io.vgpuhub.web.operator.hosttokens;

/** A host of that name is registered already; nothing was written. */
class HostNameTakenException extends RuntimeException {

    HostNameTakenException(String name) {
        super("A host named " + name + " is registered already");
    }
}
