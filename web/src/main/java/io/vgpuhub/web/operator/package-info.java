/**
 * The operator's pages: hosts (draining), GPUs (mode, capacity), offerings, tenants' quotas and the audit trail.
 * Every change writes an audit_event row in its own transaction. View records stay package-private; the methods
 * templates call on them are public because SpEL invokes only public methods.
 */
package io.vgpuhub.web.operator;
