/**
 * Accounts, API keys, usage history and limiter state kept in CSV files in one data directory, for
 * deployments that want persistence without a database server. {@link dev.tierlimit.csv.CsvStore} is
 * the entry point.
 */
package dev.tierlimit.csv;
