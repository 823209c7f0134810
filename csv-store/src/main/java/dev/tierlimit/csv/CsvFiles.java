package dev.tierlimit.csv;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tierlimit.StoreException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes whole CSV files (RFC 4180) with jackson-dataformat-csv. Values are plain strings;
 * quoting is added only where a value needs it (commas, quotes, line breaks, surrounding spaces).
 *
 * <p>Reading accepts a UTF-8 byte-order mark, CRLF or LF line endings and blank lines between
 * records, and checks that the header names are unique and that every record has one value per
 * header column. Writing goes through {@link AtomicFiles#replace}. Thread-safe.
 */
final class CsvFiles {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            // Flushing after every record would cost a system call per record; the file is forced once at the end.
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .build();

    private CsvFiles() {
    }

    /**
     * Reads {@code file} if it exists.
     *
     * @param expectedHeader the columns the caller expects, named in the error for an empty file
     * @return the table, or null when the file does not exist
     * @throws CsvFormatException if the file is empty or not well-formed CSV with a unique header
     * @throws StoreException if the file cannot be read
     */
    static CsvTable readIfExists(Path file, List<String> expectedHeader) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException("reading " + file + " failed: " + e, e);
        }
        return parse(file, bytes, expectedHeader);
    }

    /**
     * Parses the bytes of a CSV file.
     *
     * @throws CsvFormatException if there is no header, the header repeats a name, a record has the
     *     wrong number of values, or the text is not valid CSV (an unclosed quote, for example)
     */
    static CsvTable parse(Path file, byte[] bytes, List<String> expectedHeader) {
        List<String[]> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        long[] recordStart = {0};
        try (JsonParser parser = MAPPER.getFactory().createParser(bytes)) {
            parser.setSchema(CsvSchema.emptySchema());
            readRecords(parser, records, lines, recordStart);
        } catch (JsonProcessingException e) {
            throw invalidCsv(file, e, recordStart[0]);
        } catch (IOException e) {
            throw new StoreException("reading " + file + " failed: " + e, e);
        }
        if (records.isEmpty()) {
            throw new CsvFormatException(file, 1, 1, null, "the file is empty; it must start with the header line "
                    + String.join(",", expectedHeader) + " (delete the file to start with no records)");
        }
        List<String> header = List.of(records.get(0));
        checkHeader(file, header);
        List<CsvRow> rows = new ArrayList<>(records.size() - 1);
        for (int i = 1; i < records.size(); i++) {
            CsvRow row = new CsvRow(lines.get(i), records.get(i));
            checkWidth(file, header, row);
            rows.add(row);
        }
        return new CsvTable(file, TextStyle.detect(bytes), header, rows);
    }

    /**
     * Collects every record and the line it starts on.
     *
     * @param recordStart set to the start line of the record being read, 0 between records, so that
     *     a parse error can name the record it occurred in
     */
    private static void readRecords(JsonParser parser, List<String[]> records, List<Long> lines, long[] recordStart)
            throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            return;
        }
        List<String> cells = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            if (token == JsonToken.START_ARRAY) {
                cells.clear();
                recordStart[0] = 0;
            } else if (token == JsonToken.VALUE_STRING) {
                if (cells.isEmpty()) {
                    recordStart[0] = parser.currentTokenLocation().getLineNr();
                }
                cells.add(parser.getText());
            } else if (token == JsonToken.END_ARRAY && recordStart[0] > 0) {
                records.add(cells.toArray(String[]::new));
                lines.add(recordStart[0]);
                recordStart[0] = 0;
            }
        }
    }

    private static CsvFormatException invalidCsv(Path file, JsonProcessingException e, long recordStart) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (found at line " + at.getLineNr() + ", character " + at.getColumnNr() + ")";
        long line = recordStart > 0 || at == null ? Math.max(recordStart, 1) : at.getLineNr();
        return new CsvFormatException(file, line, 0, null, "not valid CSV" + where + ": " + e.getOriginalMessage()
                + "; a value that contains a quote, comma or line break must be quoted, with quotes doubled");
    }

    private static void checkHeader(Path file, List<String> header) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            Integer earlier = seen.putIfAbsent(CsvTable.normalize(header.get(i)), i);
            if (earlier != null) {
                throw new CsvFormatException(file, 1, i + 1, header.get(i), "duplicate column name; column "
                        + (earlier + 1) + " has the same name. Rename or remove one of them");
            }
        }
    }

    private static void checkWidth(Path file, List<String> header, CsvRow row) {
        int width = row.cells().length;
        if (width < header.size()) {
            throw new CsvFormatException(file, row.line(), width + 1, header.get(width), "the record has " + width
                    + " values but the header has " + header.size() + " columns; add the missing values"
                    + " (empty values still need their commas)");
        }
        if (width > header.size()) {
            throw new CsvFormatException(file, row.line(), header.size() + 1, null, "the record has " + width
                    + " values but the header has " + header.size() + " columns; quote values that contain commas");
        }
    }

    /**
     * Replaces {@code file} atomically with a header and records.
     *
     * @param rows the records; each must have one value per header column and no null values
     * @throws StoreException if the write fails; the previous file is then unchanged
     */
    static void write(Path file, TextStyle style, List<String> header, Iterable<String[]> rows) {
        CsvSchema schema = CsvSchema.emptySchema().withLineSeparator(style.lineSeparator());
        AtomicFiles.replace(file, out -> {
            out.write(style.prefix());
            Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try (SequenceWriter records = MAPPER.writer(schema).writeValues(text)) {
                records.write(header.toArray(String[]::new));
                for (String[] row : rows) {
                    records.write(row);
                }
            }
            text.flush();
        });
    }
}
