package dev.tierlimit.csv;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The open or closed state of a {@link CsvStore}. Calls that write files run inside {@link #call},
 * which {@link #close} waits for, so no such call writes after the store released its directory.
 */
final class Lifecycle {

    private final Path directory;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile boolean closed;

    Lifecycle(Path directory) {
        this.directory = directory;
    }

    /**
     * Runs {@code action} unless the store is closed; {@link #close} waits until it returns.
     *
     * @throws IllegalStateException if the store is closed
     */
    <T> T call(Supplier<T> action) {
        gate.readLock().lock();
        try {
            checkOpen();
            return action.get();
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Runs {@code action} like {@link #call}. */
    void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Checks that the store is open, for calls that change memory only and so need not hold the gate.
     *
     * @throws IllegalStateException if the store is closed
     */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the CSV store of " + directory + " is closed; open it again to make changes");
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Marks the store closed once the calls in progress have returned.
     *
     * @return false if it was closed already
     */
    boolean close() {
        gate.writeLock().lock();
        try {
            boolean wasOpen = !closed;
            closed = true;
            return wasOpen;
        } finally {
            gate.writeLock().unlock();
        }
    }
}
