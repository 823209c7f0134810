package dev.tierlimit.csv;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The second process of {@link DirectoryLockTest}: tries to open the store in {@code args[0]}, prints
 * {@code opened} and exits with 0 on success, or prints the error and exits with
 * {@value #LOCKED_EXIT_CODE} when the directory is locked.
 */
public final class LockProbe {

    static final int LOCKED_EXIT_CODE = 3;

    private LockProbe() {
    }

    public static void main(String[] args) {
        try (CsvStore store = CsvStore.builder(Path.of(args[0])).flushInterval(Duration.ZERO).open()) {
            System.out.println("opened " + store.directory());
        } catch (StoreLockedException e) {
            System.out.println(e.getMessage());
            System.exit(LOCKED_EXIT_CODE);
        }
    }
}
