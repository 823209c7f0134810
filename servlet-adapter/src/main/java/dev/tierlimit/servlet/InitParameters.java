package dev.tierlimit.servlet;

import jakarta.servlet.ServletException;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Parses filter and servlet init parameters, rejecting bad values with a message naming the parameter. */
final class InitParameters {

    private final String owner;
    private final UnaryOperator<String> source;

    /**
     * @param owner the filter or servlet name, for messages
     * @param source returns a parameter's value or null, such as {@code FilterConfig::getInitParameter}
     */
    InitParameters(String owner, UnaryOperator<String> source) {
        this.owner = owner;
        this.source = source;
    }

    /** Returns the trimmed value of {@code name}, or null when it is unset or blank. */
    String text(String name) {
        String value = source.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    String text(String name, String defaultValue) {
        String value = text(name);
        return value == null ? defaultValue : value;
    }

    boolean bool(String name, boolean defaultValue) throws ServletException {
        String value = text(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(name, value, "true or false");
    }

    /** Parses an enum constant by its name in any letter case, such as {@code api_key} for {@code API_KEY}. */
    <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) throws ServletException {
        String value = text(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder accepted = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                accepted.append(accepted.length() == 0 ? "" : " or ").append(constant.name().toLowerCase(Locale.ROOT));
            }
            throw invalid(name, value, accepted.toString());
        }
    }

    PathPatterns paths(String name, PathPatterns defaultValue) throws ServletException {
        String value = source.apply(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return PathPatterns.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ServletException(owner + ": init parameter " + name + " is invalid: " + e.getMessage(), e);
        }
    }

    /** Creates an instance of the class named by {@code name} through its public no-argument constructor, or returns null. */
    <T> T instance(String name, Class<T> type) throws ServletException {
        String className = text(name);
        if (className == null) {
            return null;
        }
        try {
            Class<?> loaded = Class.forName(className, true, contextClassLoader());
            if (!type.isAssignableFrom(loaded)) {
                throw invalid(name, className, "a class implementing " + type.getName());
            }
            return type.cast(loaded.getConstructor().newInstance());
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new ServletException(owner + ": init parameter " + name + " names " + className
                    + ", which has no public no-argument constructor or cannot be loaded: " + e, e);
        } catch (InvocationTargetException e) {
            throw new ServletException(owner + ": the constructor of " + className + " (init parameter " + name
                    + ") failed: " + e.getCause(), e.getCause());
        }
    }

    private static ClassLoader contextClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : InitParameters.class.getClassLoader();
    }

    private ServletException invalid(String name, String value, String accepted) {
        return new ServletException(owner + ": init parameter " + name + " must be " + accepted + ", got \"" + value
                + "\"");
    }
}
