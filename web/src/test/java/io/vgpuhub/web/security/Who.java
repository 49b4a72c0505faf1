package io.vgpuhub.web.security;

/** Everyone who can knock: a visitor, the demo's people, the other tenant's user, two host agents and an API program. */
enum Who {

    ANONYMOUS("anonymous", Credential.NONE),
    ALICE("alice", Credential.SESSION),
    TOM("tom", Credential.SESSION),
    GARY("gary", Credential.SESSION),
    FIONA("fiona", Credential.SESSION),
    LEO("leo", Credential.SESSION),
    OLIVIA("olivia", Credential.SESSION),
    HOST_AGENT("the demo host's agent", Credential.HOST_TOKEN),
    OTHER_HOST_AGENT("another host's agent", Credential.HOST_TOKEN),
    API_TOKEN("an Acme API token", Credential.API_TOKEN);

    enum Credential { NONE, SESSION, HOST_TOKEN, API_TOKEN }

    private final String label;
    final Credential credential;

    Who(String label, Credential credential) {
        this.label = label;
        this.credential = credential;
    }

    /** The demo username of a person who signs in to the portal. */
    String username() {
        if (credential != Credential.SESSION) {
            throw new IllegalStateException(label + " does not sign in");
        }
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
