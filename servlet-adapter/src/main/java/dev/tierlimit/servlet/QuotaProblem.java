package dev.tierlimit.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierlimit.Decision;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitStatus;
import dev.tierlimit.RateLimitHeaders;
import dev.tierlimit.Tier;
import dev.tierlimit.TierCatalog;
import java.util.Optional;

/**
 * The 429 problem body of a request that a limit rejected, with the problem type that the IANA HTTP
 * Problem Types registry lists for an exceeded quota.
 */
final class QuotaProblem {

    static final String TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";
    static final String TITLE = "Request quota exceeded";

    private QuotaProblem() {
    }

    /**
     * Creates the body for a decision that is {@code REJECTED} or {@code COST_EXCEEDS_MAXIMUM}.
     *
     * <p>Members: {@code violated-policies} (the names of the limits that rejected the request),
     * {@code tier}, {@code limit} (the binding limit), {@code retry_after} in seconds (only when a wait
     * helps) and {@code upgrade_to} (a higher tier that would admit the request, when there is one).
     */
    static ObjectNode body(Decision decision, RateLimitHeaders headers, Tier tier, TierCatalog catalog) {
        boolean costTooHigh = decision.outcome() == Decision.Outcome.COST_EXCEEDS_MAXIMUM;
        Optional<Tier> upgrade = costTooHigh ? lowestTierAdmitting(catalog, tier, decision.cost()) : catalog.next(tier);
        LimitStatus binding = decision.binding();

        ObjectNode body = Json.object();
        body.put("type", TYPE);
        body.put("title", TITLE);
        body.put("status", 429);
        body.put("detail", costTooHigh ? costDetail(decision, tier, upgrade) : waitDetail(binding, tier, headers, upgrade));
        ArrayNode violated = body.putArray("violated-policies");
        for (LimitStatus status : decision.violated()) {
            violated.add(status.limit().name());
        }
        body.put("tier", tier.id());
        body.put("limit", binding.limit().name());
        if (costTooHigh) {
            body.put("cost", decision.cost());
        }
        headers.retryAfterSeconds().ifPresent(seconds -> body.put("retry_after", seconds));
        upgrade.ifPresent(next -> body.put("upgrade_to", next.id()));
        return body;
    }

    private static String waitDetail(LimitStatus binding, Tier tier, RateLimitHeaders headers, Optional<Tier> upgrade) {
        Limit limit = binding.limit();
        StringBuilder detail = new StringBuilder()
                .append("The \"").append(limit.name()).append("\" limit of tier \"").append(tier.id())
                .append("\" (").append(limit.maximum()).append(" per ").append(limit.windowSeconds())
                .append(" s) is used up; retry in ").append(headers.retryAfterSeconds().orElse(1L)).append(" s");
        upgrade.ifPresent(next -> {
            detail.append(", or upgrade to tier \"").append(next.id()).append('"');
            next.limit(limit.name()).ifPresent(nextLimit -> detail.append(" (").append(nextLimit.maximum())
                    .append(" per ").append(nextLimit.windowSeconds()).append(" s)"));
        });
        return detail.append('.').toString();
    }

    private static String costDetail(Decision decision, Tier tier, Optional<Tier> upgrade) {
        Limit limit = decision.binding().limit();
        return "This request costs " + decision.cost() + ", more than the maximum of " + limit.maximum() + " of the \""
                + limit.name() + "\" limit of tier \"" + tier.id() + "\", so no wait will admit it; "
                + upgrade.map(next -> "upgrade to tier \"" + next.id() + "\", which allows it, or send a cheaper request.")
                        .orElse("send a cheaper request.");
    }

    /** Returns the lowest-ranked tier above {@code tier} whose every limit allows {@code cost}. */
    private static Optional<Tier> lowestTierAdmitting(TierCatalog catalog, Tier tier, long cost) {
        for (Tier candidate : catalog.tiers()) {
            if (candidate.rank() > tier.rank() && allows(candidate, cost)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean allows(Tier tier, long cost) {
        for (Limit limit : tier.limits()) {
            if (limit.maximum() < cost) {
                return false;
            }
        }
        return true;
    }
}
