package dev.tierlimit.csv;

import dev.tierlimit.StoreException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces files so that a process killed at any moment leaves either the old or the new content.
 * The new content goes to a temporary file in the same directory and is forced to disk. The file is
 * then renamed over the target, and the directory entry is forced too where the platform allows.
 *
 * <p>Temporary files are named {@code .<target>.<random>.tmp}. The store reads only fixed names, so
 * a temporary file left by a crash is never read as data; {@link #deleteStaleTemporaryFiles} removes
 * them when a store opens.
 */
final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final int BUFFER_BYTES = 64 * 1024;

    /** Writes content to an output stream; the stream is buffered and must not be closed. */
    @FunctionalInterface
    interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code content} writes, atomically and durably.
     *
     * @throws StoreException if any step fails; the target is then unchanged and the temporary file removed
     */
    static void replace(Path target, ContentWriter content) {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", TEMPORARY_SUFFIX);
            copyPermissions(target, temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temporary);
            throw new StoreException("cannot replace " + target + " atomically: the file system does not support atomic"
                    + " renames; put the data directory on a local file system", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            throw new StoreException("writing " + target + " failed, the previous file is unchanged: " + e, e);
        }
        syncDirectory(directory);
    }

    /**
     * Copies {@code source} to {@code target}, which must not exist, and forces the copy to disk.
     *
     * @throws StoreException if the copy fails
     */
    static void copyDurably(Path source, Path target) {
        try {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw new StoreException("copying " + source + " to " + target + " failed: " + e, e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Deletes {@code file} and forces the directory entry to disk.
     *
     * @throws StoreException if the file exists and cannot be deleted
     */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException("deleting " + file + " failed: " + e, e);
        }
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Forces a directory's entries to disk, so that a rename survives a power failure. Platforms that
     * cannot open a directory for this (Windows) skip it; their renames are still atomic.
     */
    static void syncDirectory(Path directory) {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException e) {
            LOG.debug("Cannot open directory {} to force its entries to disk; skipping: {}", directory, e.toString());
            return;
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            LOG.warn("Forcing the entries of directory {} to disk failed; a power failure may undo the last rename",
                    directory, e);
        }
    }

    /** Returns whether {@code file} is named like a temporary file of {@link #replace}. */
    static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMPORARY_SUFFIX);
    }

    /**
     * Deletes the temporary files a killed process left in {@code directory} and logs each one.
     *
     * @return the names of the deleted files
     * @throws StoreException if the directory cannot be listed or a file cannot be deleted
     */
    static List<String> deleteStaleTemporaryFiles(Path directory) {
        List<String> deleted = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (isTemporary(file) && Files.isRegularFile(file)) {
                    Files.delete(file);
                    deleted.add(file.getFileName().toString());
                    LOG.warn("Deleted {}, an unfinished write left by a process that stopped while writing;"
                            + " the file it was meant to replace is intact", file);
                }
            }
        } catch (IOException e) {
            throw new StoreException("removing unfinished temporary files from " + directory + " failed: " + e, e);
        }
        if (!deleted.isEmpty()) {
            syncDirectory(directory);
        }
        return deleted;
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the temporary file keeps the platform's default permissions.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Deleting temporary file {} failed; the next open removes it", file, e);
        }
    }
}
