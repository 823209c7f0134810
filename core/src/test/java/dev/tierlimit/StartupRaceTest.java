package dev.tierlimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link StartupRace} in a child JVM, because class initialization happens once per JVM. */
class StartupRaceTest {

    @Test
    void firstUse_fromManyThreadsFinishes(@TempDir Path directory) throws IOException, InterruptedException {
        Path output = directory.resolve("startup-race.log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StartupRace.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        boolean finished = child.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(finished).as("child JVM finished within 60 s; output:%n%s", log).isTrue();
        assertThat(child.exitValue()).as("child JVM exit code; output:%n%s", log).isZero();
        assertThat(log).contains("all 16 threads finished");
    }
}
