package dev.tierlimit.csv;

import dev.tierlimit.StoreException;
import java.nio.file.Path;

/**
 * Thrown by {@link CsvStore#open} when another {@link CsvStore}, in this process or another one,
 * holds the data directory's lock file. Two stores writing one directory would overwrite each
 * other's changes, so the second one is rejected.
 */
public class StoreLockedException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    /** Creates the exception for {@code directory}, with a message that names the holder of the lock. */
    public StoreLockedException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    /** Returns the data directory that is in use. */
    public Path directory() {
        return directory;
    }
}
