package dev.tierlimit.csv;

/**
 * One record of a CSV file as read.
 *
 * @param line the 1-based line on which the record starts
 * @param cells the values in header order; never modified after reading
 */
record CsvRow(long line, String[] cells) {
}
