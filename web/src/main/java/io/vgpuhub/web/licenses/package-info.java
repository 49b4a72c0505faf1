/**
 * The license administrator's pages: seats now and over time, entitlements, the slices holding seats, admission and
 * passthrough policies, and the usage report for a true-up. Figures come from metering's license reports; every change
 * goes through {@link io.vgpuhub.web.licenses.LicenseAdmin}, which writes its audit_event row in the same transaction.
 * View records stay package-private; methods templates call on them are public because SpEL invokes only public methods.
 */
package io.vgpuhub.web.licenses;
