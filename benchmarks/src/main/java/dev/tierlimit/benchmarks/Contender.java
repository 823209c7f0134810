package dev.tierlimit.benchmarks;

/**
 * One rate limiter under test, set up for one list of limits. The measured code of every benchmark
 * calls {@link #check} and nothing else, so all contenders pay the same harness costs.
 *
 * <p>Implementations are thread-safe as far as the limiter they wrap is.
 */
abstract class Contender {

    private final String name;

    Contender(String name) {
        this.name = name;
    }

    /** Checks one request of cost 1 for {@code key}, counting it when admitted, and returns the limiter's own result. */
    abstract Object check(String key);

    /** Returns whether a result of {@link #check} means the request was admitted. */
    abstract boolean admitted(Object result);

    /**
     * Forgets the admitted requests of every key while keeping the keys tracked. Only the sliding log
     * needs this: its memory grows with every admitted request, and under maxima no run reaches it
     * would fill the heap. The other contenders keep their state.
     */
    void clearUnboundedHistory() {
    }

    /**
     * Checks requests for {@code key} until one is rejected, so the key's tightest limit is used up.
     *
     * @param maximum the tightest limit's maximum; twice as many requests plus a few must reach a rejection
     * @throws IllegalStateException if they do not, which means the contender does not enforce the
     *     limits it was given
     */
    final void exhaust(String key, long maximum) {
        long attempts = 2 * maximum + 10;
        for (long i = 0; i < attempts; i++) {
            if (!admitted(check(key))) {
                return;
            }
        }
        throw new IllegalStateException(this + " still admits key \"" + key + "\" after " + attempts
                + " requests under a maximum of " + maximum + "; its limits are not enforced as configured");
    }

    /**
     * Checks that a request for {@code key} is admitted.
     *
     * @throws IllegalStateException if it is rejected, which means the benchmark is not measuring the
     *     admitted path
     */
    final void expectAdmitted(String key) {
        if (!admitted(check(key))) {
            throw new IllegalStateException(this + " rejected key \"" + key
                    + "\" where the benchmark expects every check to be admitted");
        }
    }

    /**
     * Checks that a request for {@code key} is rejected. A limiter that refills continuously may have
     * refilled one request's worth since the key's last check, so the first check may be admitted and
     * the second must not be.
     *
     * @throws IllegalStateException if both are admitted, which means the benchmark is not measuring
     *     the rejected path
     */
    final void expectRejected(String key) {
        check(key);
        if (admitted(check(key))) {
            throw new IllegalStateException(this + " admitted key \"" + key
                    + "\" twice in a row where the benchmark expects every check to be rejected");
        }
    }

    /** Returns the {@link ContenderType} name this contender was created as. */
    @Override
    public final String toString() {
        return name;
    }
}
