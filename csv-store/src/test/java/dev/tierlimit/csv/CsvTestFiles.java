package dev.tierlimit.csv;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads and writes test files without the store's own code, so that assertions about what is on
 * disk do not trust the code under test.
 */
final class CsvTestFiles {

    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private CsvTestFiles() {
    }

    /** Returns every record of a CSV file, the header first. */
    static List<List<String>> records(Path file) {
        try (MappingIterator<String[]> rows = MAPPER.readerFor(String[].class).readValues(file.toFile())) {
            List<List<String>> records = new ArrayList<>();
            while (rows.hasNext()) {
                records.add(Arrays.asList(rows.next()));
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} as UTF-8, after a byte-order mark when {@code bom} is set. */
    static void write(Path file, boolean bom, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + (bom ? 3 : 0)];
        if (bom) {
            bytes[0] = (byte) 0xEF;
            bytes[1] = (byte) 0xBB;
            bytes[2] = (byte) 0xBF;
        }
        System.arraycopy(body, 0, bytes, bom ? 3 : 0, body.length);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the names of the files in {@code directory}, sorted. */
    static List<String> fileNames(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a store builder for tests: no background work, so every write happens where the test says. */
    static CsvStore.Builder quietStore(Path directory, MutableClock clock) {
        return CsvStore.builder(directory).clock(clock).flushInterval(java.time.Duration.ZERO)
                .limiterSaveInterval(java.time.Duration.ZERO);
    }
}
