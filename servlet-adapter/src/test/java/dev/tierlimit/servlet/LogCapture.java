package dev.tierlimit.servlet;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps every log line of this test JVM in memory, through {@link CapturingServiceProvider}: all
 * levels for {@code dev.tierlimit}, info and above for everything else.
 */
final class LogCapture {

    /** One log call: logger name, level, formatted message and the printed stack trace of its throwable, if any. */
    record Line(String logger, Level level, String message, String throwable) {

        /** Returns the message and the stack trace, everything that a log file would show. */
        String fullText() {
            return message + (throwable == null ? "" : "\n" + throwable);
        }
    }

    private static final List<Line> LINES = new ArrayList<>();

    private LogCapture() {
    }

    /** Returns a position to pass to {@link #since(int)}. */
    static synchronized int mark() {
        return LINES.size();
    }

    /** Returns the lines logged after {@code mark}. */
    static synchronized List<Line> since(int mark) {
        return List.copyOf(LINES.subList(mark, LINES.size()));
    }

    static synchronized void add(Line line) {
        LINES.add(line);
    }

    /** A logger writing into {@link LogCapture}. */
    static final class CapturingLogger extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;

        private final boolean everything;

        CapturingLogger(String name) {
            this.name = name;
            this.everything = name.startsWith("dev.tierlimit");
        }

        @Override
        public boolean isTraceEnabled() {
            return everything;
        }

        @Override
        public boolean isDebugEnabled() {
            return everything;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            String trace = null;
            if (throwable != null) {
                StringWriter text = new StringWriter();
                throwable.printStackTrace(new PrintWriter(text));
                trace = text.toString();
            }
            add(new Line(name, level, message, trace));
        }
    }
}
