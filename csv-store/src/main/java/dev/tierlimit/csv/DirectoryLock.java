package dev.tierlimit.csv;

import dev.tierlimit.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive use of a data directory: an OS file lock on {@code tierlimit.lock}, held until
 * {@link #close()}. The lock file records the holder's process id and opening time, which the error
 * for a second opener quotes.
 *
 * <p>Directories locked by this JVM are also tracked in memory and checked first. Besides giving a
 * clearer error, that keeps a second opener from opening and closing its own channel on the lock
 * file, which on some platforms releases every lock this JVM holds on that file.
 */
final class DirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "tierlimit.lock";

    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final int MAX_HOLDER_BYTES = 200;

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code directory}, which must exist.
     *
     * @param now the opening time written into the lock file
     * @throws StoreLockedException if this JVM or another process holds the lock
     * @throws StoreException if the lock file cannot be created or locked
     */
    static DirectoryLock acquire(Path directory, Instant now) {
        Path realDirectory;
        try {
            realDirectory = directory.toRealPath();
        } catch (IOException e) {
            throw new StoreException("data directory " + directory + " cannot be opened: " + e
                    + "; create it or pass an existing directory", e);
        }
        if (!LOCKED_IN_THIS_JVM.add(realDirectory)) {
            throw new StoreLockedException(realDirectory, "data directory " + realDirectory
                    + " is already open in this JVM; close the other CsvStore first or share it");
        }
        try {
            return lockFile(realDirectory, now);
        } catch (RuntimeException e) {
            LOCKED_IN_THIS_JVM.remove(realDirectory);
            throw e;
        }
    }

    private static DirectoryLock lockFile(Path directory, Instant now) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new StoreLockedException(directory, "data directory " + directory + " is in use by another process ("
                        + file.getFileName() + " is locked" + (holder.isEmpty() ? "" : " by " + holder)
                        + "); stop that process or choose another directory");
            }
            String holder = "pid " + ProcessHandle.current().pid() + ", opened " + now + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            return new DirectoryLock(directory, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("locking data directory " + directory + " through " + file + " failed: " + e, e);
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_HOLDER_BYTES);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Already failing with a more useful error.
        }
    }

    /** Returns the locked directory, as a real path. */
    Path directory() {
        return directory;
    }

    /** Releases the lock. The lock file stays, so no other process can lock a different file of the same name. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StoreException("releasing the lock of data directory " + directory + " failed: " + e, e);
        } finally {
            LOCKED_IN_THIS_JVM.remove(directory);
        }
    }
}
