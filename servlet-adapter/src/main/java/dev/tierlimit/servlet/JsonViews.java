package dev.tierlimit.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierlimit.ApiKey;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitStatus;
import dev.tierlimit.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The snake_case JSON forms of tiers, limit usage and API keys that the endpoints send. */
final class JsonViews {

    private JsonViews() {
    }

    /**
     * Returns a tier: {@code requests_per_hour}, {@code _day} and {@code _month} are the maxima of its
     * limits with windows of one hour, one day and 30 days (null when the tier has none), and
     * {@code limits} lists every limit.
     */
    static ObjectNode tier(Tier tier) {
        ObjectNode node = Json.object();
        node.put("id", tier.id());
        node.put("display_name", tier.displayName());
        node.put("price_monthly", tier.monthlyPrice());
        putMaximum(node, "requests_per_hour", tier, Duration.ofHours(1));
        putMaximum(node, "requests_per_day", tier, Duration.ofDays(1));
        putMaximum(node, "requests_per_month", tier, Duration.ofDays(30));
        node.put("max_api_keys", tier.maxApiKeys());
        ArrayNode features = node.putArray("features");
        tier.features().forEach(features::add);
        ArrayNode limits = node.putArray("limits");
        for (Limit limit : tier.limits()) {
            limits.addObject()
                    .put("name", limit.name())
                    .put("maximum", limit.maximum())
                    .put("window_seconds", limit.windowSeconds());
        }
        return node;
    }

    private static void putMaximum(ObjectNode node, String field, Tier tier, Duration window) {
        for (Limit limit : tier.limits()) {
            if (limit.window().equals(window)) {
                node.put(field, limit.maximum());
                return;
            }
        }
        node.putNull(field);
    }

    /** Returns the usage of one limit, {@code percentage} rounded to one decimal. */
    static ObjectNode usage(LimitStatus status) {
        ObjectNode node = Json.object();
        node.put("used", status.used());
        node.put("limit", status.maximum());
        node.put("remaining", status.remaining());
        node.put("percentage", Math.round(status.percentUsed() * 10) / 10.0);
        node.put("window_seconds", status.limit().windowSeconds());
        Json.putInstant(node, "resets_at", status.resetAt());
        return node;
    }

    /** Returns a stored key without its hash: the raw key is never part of it. */
    static ObjectNode key(ApiKey key, Instant now) {
        ObjectNode node = Json.object();
        node.put("id", key.id());
        node.put("prefix", key.prefix());
        node.put("label", key.label());
        node.put("state", key.state(now).name().toLowerCase(Locale.ROOT));
        Json.putInstant(node, "created_at", key.createdAt());
        Json.putInstant(node, "last_used_at", key.lastUsedAt());
        Json.putInstant(node, "expires_at", key.expiresAt());
        Json.putInstant(node, "revoked_at", key.revokedAt());
        return node;
    }
}
