package dev.tierlimit.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierlimit.AccountNotFoundException;
import dev.tierlimit.ApiKey;
import dev.tierlimit.Billing;
import dev.tierlimit.DowngradeBlockedException;
import dev.tierlimit.Granularity;
import dev.tierlimit.Limit;
import dev.tierlimit.LimitScope;
import dev.tierlimit.LimitStatus;
import dev.tierlimit.PaymentDeclinedException;
import dev.tierlimit.SubscriptionStatus;
import dev.tierlimit.Tier;
import dev.tierlimit.TierChangeResult;
import dev.tierlimit.UnknownTierException;
import dev.tierlimit.UsageReport;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The subscription endpoints, mounted by the host at {@code /api/v3/subscription/*} (any mount point
 * works; routes are read from the path info):
 *
 * <ul>
 *   <li>{@code GET tiers}: every tier, public.
 *   <li>{@code GET my-tier}: the caller's tier, usage per limit, active keys and the next tier up
 *       compared with the current one.
 *   <li>{@code POST upgrade?tier=pro}, or the body {@code {"tier":"pro"}}: a tier change by the rules
 *       of {@link dev.tierlimit.Subscriptions}; 400 for an unknown tier (listing the tiers), 409 for a
 *       downgrade blocked by too many keys (saying how many to revoke), 402 when billing declines.
 *   <li>{@code GET usage-history?from=&to=&granularity=hour|day&key_id=}: admitted requests per
 *       hour or day; by default the last 7 days by day.
 * </ul>
 *
 * <p>Every endpoint but {@code tiers} authenticates the caller through {@link EndpointOptions} and
 * responds with 401 like the filter. The filter's default unmetered paths keep these endpoints out of the
 * limits, so an account that used up its quota can still read its usage and upgrade. JSON uses
 * snake_case; errors are problem details naming the invalid field.
 *
 * <p>Construct it with services for code-based setup, or let a {@code web.xml} create it; it then
 * reads the {@link EndpointOptions} init parameters and the services context attribute. Thread-safe.
 */
public final class SubscriptionServlet extends EndpointServlet {

    private static final long serialVersionUID = 1L;
    private static final List<String> UPGRADE_FIELDS = List.of("tier");

    /** Creates a servlet configured by init parameters and the services context attribute, for {@code web.xml}. */
    public SubscriptionServlet() {
    }

    /** Creates a servlet over {@code services} with the default options. */
    public SubscriptionServlet(TierlimitServices services) {
        this(services, EndpointOptions.defaults());
    }

    /** Creates a servlet over {@code services} with {@code options}; init parameters are then ignored. */
    public SubscriptionServlet(TierlimitServices services, EndpointOptions options) {
        super(services, options);
    }

    @Override
    void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        switch (path) {
            case "/tiers":
                requireMethod(request, "GET");
                tiers(response);
                break;
            case "/my-tier":
                requireMethod(request, "GET");
                myTier(request, response);
                break;
            case "/upgrade":
                requireMethod(request, "POST");
                upgrade(request, response);
                break;
            case "/usage-history":
                requireMethod(request, "GET");
                usageHistory(request, response);
                break;
            default:
                throw ProblemException.of(404, "No subscription endpoint at " + request.getRequestURI() + " for "
                        + method + "; the endpoints are GET tiers, GET my-tier, POST upgrade and GET usage-history.");
        }
    }

    private static void requireMethod(HttpServletRequest request, String allowed) {
        if (!request.getMethod().equals(allowed)) {
            throw Endpoints.methodNotAllowed(request, allowed);
        }
    }

    private void tiers(HttpServletResponse response) throws IOException {
        ObjectNode body = Json.object();
        ObjectNode tiers = body.putObject("tiers");
        for (Tier tier : services().catalog().tiers()) {
            tiers.set(tier.id(), JsonViews.tier(tier));
        }
        body.put("default_tier", services().catalog().defaultTier().id());
        Json.write(response, 200, Json.MEDIA_TYPE, body);
    }

    private void myTier(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AccountResolver.Resolution caller = endpoints().caller(request);
        Optional<String> limiterKey = limiterKey(request, caller);
        SubscriptionStatus status;
        try {
            status = limiterKey.isPresent()
                    ? services().subscriptions().status(caller.accountId(), limiterKey.get())
                    : services().subscriptions().status(caller.accountId());
        } catch (AccountNotFoundException e) {
            throw ProblemException.of(404, "Account " + caller.accountId() + " no longer exists.");
        }

        ObjectNode body = Json.object();
        body.put("account_id", caller.accountId());
        body.set("tier", JsonViews.tier(status.tier()));
        if (limiterKey.isPresent()) {
            ObjectNode usage = body.putObject("usage");
            for (LimitStatus limit : status.usage()) {
                usage.set(limit.limit().name(), JsonViews.usage(limit));
            }
        } else {
            // TODO: under per-key limits a caller identified without a key has no single counter; report each key's usage.
            body.putNull("usage");
        }
        body.putObject("api_keys").put("active", status.activeKeys()).put("maximum", status.maxKeys());
        Optional<Tier> next = status.nextTier();
        if (next.isPresent()) {
            body.set("next_tier", JsonViews.tier(next.get()));
            body.set("comparison", comparison(status.tier(), next.get()));
        } else {
            body.putNull("next_tier");
            body.putNull("comparison");
        }
        Json.write(response, 200, Json.MEDIA_TYPE, body);
    }

    /**
     * Returns the limiter key whose usage my-tier reports: the one the filter counted this caller under,
     * else the one of the services' scope, or empty when per-key limits meet a caller without a key.
     */
    private Optional<String> limiterKey(HttpServletRequest request, AccountResolver.Resolution caller) {
        boolean sameCaller = RequestAttributes.account(request).map(a -> a.id().equals(caller.accountId())).orElse(false);
        Optional<String> fromFilter = RequestAttributes.limiterKey(request);
        if (sameCaller && fromFilter.isPresent()) {
            return fromFilter;
        }
        LimitScope scope = services().scope();
        if (scope == LimitScope.API_KEY && caller.keyId() == null) {
            return Optional.empty();
        }
        return Optional.of(scope.limiterKey(caller.accountId(), caller.keyId()));
    }

    /** Returns the current and next value of every limit, the key maximum and the price, side by side. */
    private static ObjectNode comparison(Tier current, Tier next) {
        ObjectNode node = Json.object();
        ObjectNode limits = node.putObject("limits");
        for (Limit limit : current.limits()) {
            ObjectNode pair = limits.putObject(limit.name()).put("current", limit.maximum());
            Optional<Limit> nextLimit = next.limit(limit.name());
            if (nextLimit.isPresent()) {
                pair.put("next", nextLimit.get().maximum());
            } else {
                pair.putNull("next");
            }
        }
        node.putObject("max_api_keys").put("current", current.maxApiKeys()).put("next", next.maxApiKeys());
        node.putObject("price_monthly").put("current", current.monthlyPrice()).put("next", next.monthlyPrice());
        return node;
    }

    private void upgrade(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AccountResolver.Resolution caller = endpoints().caller(request);
        String tierId = requestedTier(request);
        TierChangeResult result;
        try {
            result = services().subscriptions().changeTier(caller.accountId(), tierId);
        } catch (UnknownTierException e) {
            ProblemException problem = ProblemException.badRequest("tier", "Unknown tier \"" + tierId
                    + "\"; the tiers are " + String.join(", ", e.knownIds()) + ".");
            e.knownIds().forEach(problem.body().putArray("tiers")::add);
            throw problem;
        } catch (DowngradeBlockedException e) {
            ProblemException problem = ProblemException.of(409, e.getMessage());
            problem.body().put("tier", e.targetTierId())
                    .put("active_keys", e.activeKeys())
                    .put("allowed_keys", e.allowedKeys())
                    .put("keys_to_revoke", e.keysToRevoke());
            throw problem;
        } catch (PaymentDeclinedException e) {
            ProblemException problem = ProblemException.of(402, e.getMessage());
            problem.body().put("tier", tierId).set("billing", billing(e.result()));
            throw problem;
        } catch (AccountNotFoundException e) {
            throw ProblemException.of(404, "Account " + caller.accountId() + " no longer exists.");
        }

        ObjectNode body = Json.object();
        body.put("account_id", result.accountId());
        body.put("old_tier", result.previous().id());
        body.put("new_tier", result.current().id());
        body.put("change", result.change().name().toLowerCase(Locale.ROOT));
        body.put("changed", result.changed());
        body.put("message", result.message());
        if (result.billing() == null) {
            body.putNull("billing");
        } else {
            body.set("billing", billing(result.billing()));
        }
        body.set("tier", JsonViews.tier(result.current()));
        Json.write(response, 200, Json.MEDIA_TYPE, body);
    }

    /** Returns the tier of an upgrade request: the query parameter, the JSON body, or both if they agree. */
    private static String requestedTier(HttpServletRequest request) throws IOException {
        String fromQuery = Endpoints.queryParameter(request, "tier");
        String fromBody = Endpoints.optionalText(Endpoints.readBody(request, UPGRADE_FIELDS), "tier");
        if (fromQuery != null && fromBody != null && !fromQuery.equals(fromBody)) {
            throw ProblemException.badRequest("tier", "The tier is given twice with different values, \"" + fromQuery
                    + "\" in the query and \"" + fromBody + "\" in the body; send it once.");
        }
        String tier = fromQuery != null ? fromQuery : fromBody;
        if (tier == null || tier.isBlank()) {
            throw ProblemException.badRequest("tier", "The tier to move to is missing; send ?tier=pro or the body"
                    + " {\"tier\":\"pro\"}.");
        }
        return tier;
    }

    private static ObjectNode billing(Billing.Result result) {
        return Json.object()
                .put("approved", result.approved())
                .put("simulated", result.simulated())
                .put("reference", result.reference())
                .put("message", result.message());
    }

    private void usageHistory(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AccountResolver.Resolution caller = endpoints().caller(request);
        Granularity granularity = granularity(request);
        String keyId = Endpoints.queryParameter(request, "key_id");
        if (keyId != null) {
            requireOwnKey(caller.accountId(), keyId);
        }

        Instant now = services().clock().instant();
        String fromText = Endpoints.queryParameter(request, "from");
        String toText = Endpoints.queryParameter(request, "to");
        Instant to = toText == null ? endOfCurrentPeriod(now, granularity) : Endpoints.parseTime("to", toText, true);
        Instant from = fromText == null ? to.minus(Duration.ofDays(7)) : Endpoints.parseTime("from", fromText, false);
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("from", "Parameter \"from\" (" + from + ") must be before \"to\" (" + to
                    + ").");
        }
        Duration retention = services().usageHistory().retention();
        Instant oldest = now.minus(retention).truncatedTo(ChronoUnit.HOURS);
        if (from.isBefore(oldest)) {
            throw retentionProblem("from", "Parameter \"from\" (" + from + ") is older than the usage retention of "
                    + retention.toDays() + " days; the oldest hour kept starts at " + oldest + ".", retention);
        }

        UsageReport report;
        try {
            report = services().usageHistory().query(caller.accountId(), keyId, from, to, granularity);
        } catch (IllegalArgumentException e) {
            // from is already checked, so what remains is a range longer than the retention.
            throw retentionProblem("to", e.getMessage(), retention);
        }
        Json.write(response, 200, Json.MEDIA_TYPE, usageBody(report));
    }

    /** Returns the end of the hour or day that contains {@code now}, so the default range includes the current period. */
    private static Instant endOfCurrentPeriod(Instant now, Granularity granularity) {
        ChronoUnit unit = granularity == Granularity.DAY ? ChronoUnit.DAYS : ChronoUnit.HOURS;
        return now.truncatedTo(unit).plus(1, unit);
    }

    private static Granularity granularity(HttpServletRequest request) {
        String value = Endpoints.queryParameter(request, "granularity");
        if (value == null) {
            return Granularity.DAY;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "hour":
                return Granularity.HOUR;
            case "day":
                return Granularity.DAY;
            default:
                throw ProblemException.badRequest("granularity", "Parameter \"granularity\" must be hour or day, not \""
                        + value + "\".");
        }
    }

    private void requireOwnKey(String accountId, String keyId) {
        for (ApiKey key : services().keys().list(accountId)) {
            if (key.id().equals(keyId)) {
                return;
            }
        }
        throw ProblemException.of(404, "API key " + keyId + " not found for account " + accountId
                + "; list the account's keys to see valid ids.");
    }

    private static ProblemException retentionProblem(String field, String detail, Duration retention) {
        ProblemException problem = Endpoints.timeProblem(field, detail);
        problem.body().put("retention_days", retention.toDays());
        return problem;
    }

    private static ObjectNode usageBody(UsageReport report) {
        ObjectNode body = Json.object();
        body.put("account_id", report.accountId());
        body.put("key_id", report.keyId());
        body.put("from", report.from().toString());
        body.put("to", report.to().toString());
        body.put("granularity", report.granularity().name().toLowerCase(Locale.ROOT));
        ArrayNode buckets = body.putArray("buckets");
        for (UsageReport.Point point : report.points()) {
            buckets.addObject()
                    .put("start", point.start().toString())
                    .put("requests", point.requests())
                    .put("cost", point.cost());
        }
        body.put("total_requests", report.totalRequests());
        body.put("total_cost", report.totalCost());
        return body;
    }
}
