package dev.tierlimit.csv;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs the failures of a repeated background task at warn, at most once per interval with a count
 * of the failures in between, and logs at info when the task succeeds again. Thread-safe.
 */
final class FailureLog {

    private final Logger log;
    private final String task;
    private final long intervalNanos;
    private boolean failing;
    private long lastReportNanos;
    private int unreported;

    FailureLog(Logger log, String task, Duration interval) {
        this.log = log;
        this.task = task;
        this.intervalNanos = interval.toNanos();
    }

    synchronized void failed(RuntimeException error) {
        long now = System.nanoTime();
        if (failing && now - lastReportNanos < intervalNanos) {
            unreported++;
            return;
        }
        String repeats = unreported == 0 ? "" : " (failed " + unreported + " more times since the last report)";
        log.warn("{} failed{}; the changes stay in memory and the next run retries them", task, repeats, error);
        failing = true;
        lastReportNanos = now;
        unreported = 0;
    }

    synchronized void succeeded() {
        if (failing) {
            log.info("{} succeeded again after failing", task);
            failing = false;
            unreported = 0;
        }
    }
}
