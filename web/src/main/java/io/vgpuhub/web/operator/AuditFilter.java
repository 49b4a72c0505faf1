package io.vgpuhub.web.operator;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the operator narrows the audit trail to; null fields do not filter. Bound from the query string, so a
 * filtered page can be bookmarked and shared.
 */
public class AuditFilter {

    private Long host;
    private Long tenant;
    private String actor;
    private String kind;
    private int page = 1;

    public Long getHost() {
        return host;
    }

    public void setHost(Long host) {
        this.host = host;
    }

    public Long getTenant() {
        return tenant;
    }

    public void setTenant(Long tenant) {
        this.tenant = tenant;
    }

    public String getActor() {
        return actor;
    }

    public void setActor(String actor) {
        this.actor = actor == null || actor.isBlank() ? null : actor.strip();
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind == null || kind.isBlank() ? null : kind.strip();
    }

    public int getPage() {
        return page;
    }

    /** This filter's address for another page of the trail. */
    String url(int otherPage) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath("/operator/audit");
        if (host != null) {
            url.queryParam("host", host);
        }
        if (tenant != null) {
            url.queryParam("tenant", tenant);
        }
        if (actor != null) {
            url.queryParam("actor", actor);
        }
        if (kind != null) {
            url.queryParam("kind", kind);
        }
        return url.queryParam("page", otherPage).encode().build().toUriString();
    }

    /** Pages count from 1; anything lower is the first page. */
    public void setPage(int page) {
        this.page = Math.max(1, page);
    }
}
