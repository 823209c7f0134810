package dev.tierlimit;

import java.util.Objects;

/** Thrown when {@link Billing} declines a tier change; the tier is unchanged. */
public class PaymentDeclinedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Billing.Result result;

    /** Creates the exception for a declined result. */
    public PaymentDeclinedException(String accountId, String tierId, Billing.Result result) {
        super("payment for tier \"" + tierId + "\" of account " + accountId + " was declined: "
                + Objects.requireNonNull(result, "result").message());
        this.result = result;
    }

    /** Returns the billing result that declined the change. */
    public Billing.Result result() {
        return result;
    }
}
