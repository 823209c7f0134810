package dev.tierlimit.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a separate JVM with this JVM's class path, for tests that need a second process. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass}; its standard output is piped to the caller, its standard error goes
     * to {@code errorLog} so that logging cannot block it.
     */
    static Process start(Class<?> mainClass, Path errorLog, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).redirectError(errorLog.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
