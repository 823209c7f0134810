package dev.tierlimit.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierlimit.Tier;
import dev.tierlimit.TierCatalog;
import dev.tierlimit.servlet.RequestAttributes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The demo API behind the rate-limit filter, mounted at {@code /api/v3/weather/*}:
 *
 * <ul>
 *   <li>{@code GET current?city=NAME}: the generated conditions of the current hour.
 *   <li>{@code GET forecast?city=NAME&days=N}: one entry per day from today (UTC). {@code days} is
 *       optional ({@value #DEFAULT_DAYS} by default) and at most what the caller's tier allows
 *       ({@link ForecastDays}).
 * </ul>
 * A missing or invalid {@code city} or {@code days} gets a 400 problem whose {@code field} names the
 * parameter; {@code days} above the tier's maximum also names the maximum and the tier that allows
 * more. The filter has counted the request by then, as it counts every request that reaches the API.
 *
 * <p>The caller's tier comes from the {@link RequestAttributes#TIER} attribute that the filter sets;
 * a request without it is a setup error and fails with {@link IllegalStateException}. Thread-safe.
 */
final class WeatherServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final int DEFAULT_DAYS = 3;

    /** Letters of any script, digits, spaces and the punctuation of place names; at most 100 characters. */
    private static final Pattern CITY = Pattern.compile("[\\p{L}\\p{M}0-9 .,'’()-]{1,100}");

    private final transient TierCatalog catalog;
    private final transient InstantSource clock;

    WeatherServlet(TierCatalog catalog, InstantSource clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        boolean known = path.equals("/current") || path.equals("/forecast");
        if (!known) {
            JsonResponses.writeProblem(response, JsonResponses.problem(404, "No weather endpoint at "
                    + request.getRequestURI() + "; the endpoints are GET /api/v3/weather/current?city=NAME and"
                    + " GET /api/v3/weather/forecast?city=NAME&days=N."));
            return;
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            JsonResponses.writeProblem(response, JsonResponses.problem(405, request.getMethod() + " is not allowed on "
                    + request.getRequestURI() + "; use GET."));
            return;
        }
        try {
            if (path.equals("/current")) {
                current(request, response);
            } else {
                forecast(request, response);
            }
        } catch (BadParameterException e) {
            JsonResponses.writeProblem(response, e.problem);
        }
    }

    private void current(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String city = city(request);
        Weather.Current now = Weather.current(city, clock.instant());

        ObjectNode body = JsonResponses.object();
        body.put("city", city);
        body.put("observed_at", now.observedAt().toString());
        body.put("temperature_c", now.temperatureCelsius());
        body.put("feels_like_c", now.feelsLikeCelsius());
        body.put("humidity_percent", now.humidityPercent());
        body.put("wind_kph", now.windKilometresPerHour());
        body.put("conditions", now.conditions());
        body.put("generated", true);
        JsonResponses.writeJson(response, 200, body);
    }

    private void forecast(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String city = city(request);
        Tier tier = RequestAttributes.tier(request).orElseThrow(() -> new IllegalStateException(
                "no tier on a forecast request; the rate-limit filter must run before " + request.getRequestURI()));
        int maxDays = ForecastDays.max(tier);
        int days = days(request, tier, maxDays);
        Instant now = clock.instant();

        ObjectNode body = JsonResponses.object();
        body.put("city", city);
        body.put("tier", tier.id());
        body.put("days", days);
        body.put("max_days", maxDays);
        ArrayNode entries = body.putArray("forecast");
        for (Weather.Day day : Weather.forecast(city, LocalDate.ofInstant(now, ZoneOffset.UTC), days)) {
            entries.addObject()
                    .put("date", day.date().toString())
                    .put("high_c", day.highCelsius())
                    .put("low_c", day.lowCelsius())
                    .put("precipitation_mm", day.precipitationMillimetres())
                    .put("humidity_percent", day.humidityPercent())
                    .put("wind_kph", day.windKilometresPerHour())
                    .put("conditions", day.conditions());
        }
        body.put("generated", true);
        JsonResponses.writeJson(response, 200, body);
    }

    private static String city(HttpServletRequest request) {
        String city = request.getParameter("city");
        if (city == null || city.isBlank()) {
            throw new BadParameterException("city", "Parameter \"city\" is missing; add ?city=NAME, for example"
                    + " ?city=Oslo.");
        }
        String trimmed = city.strip();
        if (!CITY.matcher(trimmed).matches()) {
            throw new BadParameterException("city", "Parameter \"city\" must be 1 to 100 letters, digits, spaces or"
                    + " the characters . , ' ( ) -, not \"" + abbreviate(trimmed) + "\".");
        }
        return trimmed;
    }

    private int days(HttpServletRequest request, Tier tier, int maxDays) {
        String text = request.getParameter("days");
        if (text == null) {
            return Math.min(DEFAULT_DAYS, maxDays);
        }
        int days;
        try {
            days = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            days = 0;
        }
        if (days < 1) {
            BadParameterException problem = new BadParameterException("days", "Parameter \"days\" must be a whole"
                    + " number from 1 to " + maxDays + " (the maximum of tier \"" + tier.id() + "\"), not \""
                    + abbreviate(text) + "\".");
            problem.problem.put("max_days", maxDays).put("tier", tier.id());
            throw problem;
        }
        if (days > maxDays) {
            throw tooManyDays(tier, maxDays, days);
        }
        return days;
    }

    private BadParameterException tooManyDays(Tier tier, int maxDays, int days) {
        Optional<Tier> upgrade = ForecastDays.lowestTierAllowing(catalog, tier, days);
        String advice = upgrade
                .map(next -> "ask for at most " + maxDays + " days, or upgrade to tier \"" + next.id()
                        + "\", which allows up to " + ForecastDays.max(next) + " days.")
                .orElse("no tier allows that many, so ask for at most " + maxDays + " days.");
        BadParameterException problem = new BadParameterException("days", "Tier \"" + tier.id()
                + "\" allows forecasts of up to " + maxDays + " days, not " + days + "; " + advice);
        problem.problem.put("max_days", maxDays).put("tier", tier.id());
        upgrade.ifPresent(next -> problem.problem.put("upgrade_to", next.id()));
        return problem;
    }

    /** Keeps an echoed parameter short enough for one line of an error message. */
    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** A 400 problem for one query parameter; thrown inside this servlet and written by {@link #service}. */
    private static final class BadParameterException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient ObjectNode problem;

        BadParameterException(String field, String detail) {
            super(detail, null, false, false);
            this.problem = JsonResponses.problem(400, detail);
            problem.put("field", field);
        }
    }
}
