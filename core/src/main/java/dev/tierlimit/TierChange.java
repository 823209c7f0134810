package dev.tierlimit;

/** The direction of a move from one tier to another, decided by the tiers' ranks. */
public enum TierChange {
    /** The target tier ranks higher than the current one. */
    UPGRADE,
    /** The target tier ranks lower than the current one. */
    DOWNGRADE,
    /** The target is the current tier. */
    SAME
}
