package io.vgpuhub.metering.chargeback;

/** Where a month stands: still running, ended but open (adjustments may be booked), or closed and frozen. */
public enum StatementStatus {
    RUNNING, OPEN, CLOSED
}
