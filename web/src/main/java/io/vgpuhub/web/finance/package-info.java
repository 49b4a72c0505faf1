/**
 * Finance's chargeback pages: the months with their totals, a month's summary of every tenant with the spend charts,
 * one tenant's statement grouped by cost centre, and a slice's drill-down. Figures come from metering's
 * {@link io.vgpuhub.metering.chargeback.Statements}; these pages only arrange them. Months in URLs are yyyy-MM
 * ({@link io.vgpuhub.web.finance.MonthConverter}). View records stay package-private; methods templates call on them
 * are public because SpEL invokes only public methods.
 */
package io.vgpuhub.web.finance;
