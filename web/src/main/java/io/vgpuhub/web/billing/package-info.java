/**
 * A tenant's own chargeback statements: the running month so far and the past months. The tenant is always the logged-in
 * user's; no URL names a tenant, so there is no way to ask for another's.
 */
package io.vgpuhub.web.billing;
