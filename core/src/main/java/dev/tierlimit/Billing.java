package dev.tierlimit;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * Payment SPI called by {@link Subscriptions} before a tier change takes effect. A declined result
 * leaves the tier unchanged. Implementations are thread-safe; a failure to reach the payment provider
 * should throw, which also leaves the tier unchanged.
 */
@FunctionalInterface
public interface Billing {

    /** Charges for a tier change, or declines it. */
    Result charge(Request request);

    /**
     * Returns a billing that approves every change without taking any payment, and states that in each
     * result: {@link Result#simulated()} is true and the message states it.
     */
    static Billing simulated() {
        return request -> new Result(true, true, "sim_" + UUID.randomUUID(),
                "simulated charge of $" + request.amount().setScale(2, java.math.RoundingMode.HALF_UP)
                        + " for tier \"" + request.toTierId() + "\" approved; no payment was taken");
    }

    /**
     * A tier change to pay for.
     *
     * @param accountId the paying account
     * @param fromTierId the current tier
     * @param toTierId the requested tier
     * @param amount the new tier's monthly price in US dollars
     */
    record Request(String accountId, String fromTierId, String toTierId, BigDecimal amount) {

        /** Validates the components. */
        public Request {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(fromTierId, "fromTierId");
            Objects.requireNonNull(toTierId, "toTierId");
            Objects.requireNonNull(amount, "amount");
        }
    }

    /**
     * The payment provider's decision.
     *
     * @param approved whether the change may take effect
     * @param simulated whether no real payment was involved
     * @param reference the provider's reference for the charge, for support and audits
     * @param message a sentence for the account holder
     */
    record Result(boolean approved, boolean simulated, String reference, String message) {

        /** Validates the components. */
        public Result {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(message, "message");
        }
    }
}
