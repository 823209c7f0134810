package dev.tierlimit.csv;

import dev.tierlimit.StoreException;
import java.nio.file.Path;
import java.util.List;

/**
 * A CSV file that mirrors a table kept in memory and is rewritten whole, atomically, after changes.
 *
 * <p>Subclasses change their table while holding {@link #lock}, call {@link #changed()} there, and
 * then {@link #commit} to wait until a write that contains the change has finished. Commits of many
 * threads share writes: while one write runs, later changes pile up and the next write carries all
 * of them, so a burst of changes costs a few writes, not one each.
 *
 * <p>When a write fails, the committing thread undoes its own change (the undo runs before any other
 * write can start, so no later write carries a change whose caller saw a failure) and gets the
 * {@link StoreException}. Other threads whose changes were in the failed write try again themselves.
 */
abstract class RewrittenFile {

    /** Guards the subclass's table and the change counter. */
    protected final Object lock = new Object();

    private final Object writeMonitor = new Object();
    private final Path file;
    private final TextStyle style;
    private final List<String> header;

    /** Number of changes made to the table; guarded by {@link #lock}. */
    private long changeCount;

    /** Value of {@link #changeCount} that the file on disk reflects; guarded by {@link #writeMonitor}. */
    private long writtenCount;

    RewrittenFile(Path file, TextStyle style, List<String> header) {
        this.file = file;
        this.style = style;
        this.header = List.copyOf(header);
    }

    /** Returns the file this table is written to. */
    final Path file() {
        return file;
    }

    /** Returns the file's column names, in file order. */
    final List<String> header() {
        return header;
    }

    /** Counts a change to the table and returns its number, for {@link #commit}. The caller owns {@link #lock}. */
    protected final long changed() {
        return ++changeCount;
    }

    /** Returns every record to write, in file order. Called while holding {@link #lock}; must not block. */
    protected abstract List<String[]> records();

    /**
     * Returns once the file reflects change number {@code change}, writing it if no other thread has.
     *
     * @param undo reverts the caller's change if the write fails; runs while holding {@link #lock}
     * @throws StoreException if the write failed; the change was undone
     */
    protected final void commit(long change, Runnable undo) {
        synchronized (writeMonitor) {
            if (writtenCount >= change) {
                return;
            }
            try {
                writeLatest();
            } catch (RuntimeException e) {
                synchronized (lock) {
                    undo.run();
                    changed();
                }
                throw e;
            }
        }
    }

    /**
     * Writes the file if the table changed since the last write.
     *
     * @return whether a write was needed
     * @throws StoreException if the write failed; the changes stay in memory for the next attempt
     */
    final boolean flush() {
        synchronized (writeMonitor) {
            long pending;
            synchronized (lock) {
                pending = changeCount;
            }
            if (writtenCount >= pending) {
                return false;
            }
            writeLatest();
            return true;
        }
    }

    /** Writes the current table. The caller owns {@link #writeMonitor}. */
    private void writeLatest() {
        List<String[]> records;
        long version;
        synchronized (lock) {
            records = records();
            version = changeCount;
        }
        CsvFiles.write(file, style, header, records);
        writtenCount = version;
    }
}
