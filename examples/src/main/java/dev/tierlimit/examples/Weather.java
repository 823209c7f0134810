package dev.tierlimit.examples;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generated weather: every value is a function of the city name and the date (and, for current
 * conditions, the hour), so the same request returns the same data on every run and machine, and
 * no outside service is called. The numbers look plausible but describe no real place.
 *
 * <p>A city gets a base temperature from its name; a cosine over the year adds seasons (warmest in
 * mid-July), and each day adds its own deviation. Current conditions follow a daily curve from the
 * day's low at 05:00 UTC to its high at 15:00 UTC. Stateless and thread-safe.
 */
final class Weather {

    /** A day's forecast. Temperatures in degrees Celsius, precipitation in millimetres. */
    record Day(LocalDate date, double highCelsius, double lowCelsius, double precipitationMillimetres,
            int humidityPercent, int windKilometresPerHour, String conditions) {
    }

    /** Conditions at the start of an hour. */
    record Current(Instant observedAt, double temperatureCelsius, double feelsLikeCelsius, int humidityPercent,
            int windKilometresPerHour, String conditions) {
    }

    private static final int COLDEST_HOUR = 5;
    private static final int WARMEST_HOUR = 15;

    private Weather() {
    }

    /** Returns the conditions in {@code city} at the start of the UTC hour that contains {@code now}. */
    static Current current(String city, Instant now) {
        Instant hourStart = now.truncatedTo(ChronoUnit.HOURS);
        Day day = day(city, LocalDate.ofInstant(hourStart, ZoneOffset.UTC));
        int hour = hourStart.atZone(ZoneOffset.UTC).getHour();

        double temperature = day.lowCelsius() + (day.highCelsius() - day.lowCelsius()) * warmth(hour);
        double windChill = temperature < 10 ? day.windKilometresPerHour() / 10.0 : 0;
        return new Current(hourStart, round(temperature), round(temperature - windChill), day.humidityPercent(),
                day.windKilometresPerHour(), day.conditions());
    }

    /** Returns the forecast for {@code days} days in {@code city}, starting on {@code first}. */
    static List<Day> forecast(String city, LocalDate first, int days) {
        List<Day> forecast = new ArrayList<>(days);
        for (int i = 0; i < days; i++) {
            forecast.add(day(city, first.plusDays(i)));
        }
        return forecast;
    }

    /** Returns the generated weather of one day. */
    static Day day(String city, LocalDate date) {
        long citySeed = mix(city.strip().toLowerCase(Locale.ROOT).hashCode());
        long daySeed = mix(citySeed ^ date.toEpochDay());

        double base = -2 + unit(citySeed, 1) * 24;
        double seasonalSwing = 4 + unit(citySeed, 2) * 10;
        double season = -Math.cos(2 * Math.PI * (date.getDayOfYear() - 15) / 365.25) * seasonalSwing;
        double mean = base + season + (unit(daySeed, 1) - 0.5) * 8;
        double range = 4 + unit(daySeed, 2) * 8;

        double rainChance = unit(daySeed, 3);
        double precipitation = rainChance < 0.6 ? 0 : round((rainChance - 0.6) * 40);
        int humidity = (int) Math.round(35 + unit(daySeed, 4) * 45 + precipitation);
        int wind = (int) Math.round(unit(daySeed, 5) * 40);
        double low = round(mean - range / 2);
        return new Day(date, round(mean + range / 2), low, precipitation, Math.min(humidity, 100), wind,
                conditions(precipitation, low, unit(daySeed, 6)));
    }

    private static String conditions(double precipitationMillimetres, double lowCelsius, double cloudiness) {
        if (precipitationMillimetres == 0 && cloudiness < 0.4) {
            return "clear";
        }
        if (precipitationMillimetres == 0) {
            return cloudiness < 0.75 ? "partly cloudy" : "overcast";
        }
        if (lowCelsius < 0) {
            return "snow";
        }
        return precipitationMillimetres < 5 ? "light rain" : "rain";
    }

    /** Returns the share of the way from the day's low to its high at {@code hour}, from 0 to 1. */
    private static double warmth(int hour) {
        int hoursSinceColdest = Math.floorMod(hour - COLDEST_HOUR, 24);
        int warmingHours = WARMEST_HOUR - COLDEST_HOUR;
        double phase = hoursSinceColdest <= warmingHours
                ? (double) hoursSinceColdest / warmingHours
                : 1 + (double) (hoursSinceColdest - warmingHours) / (24 - warmingHours);
        return (1 - Math.cos(Math.PI * phase)) / 2;
    }

    /** Returns a number in [0, 1) that depends only on {@code seed} and {@code stream}. */
    private static double unit(long seed, int stream) {
        return (mix(seed + stream * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
    }

    /** Mixes {@code value} with the SplitMix64 finalizer, so that every input bit affects the whole output. */
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
