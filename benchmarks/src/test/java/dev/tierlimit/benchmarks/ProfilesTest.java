package dev.tierlimit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Checks the profiles against the benchmark list the annotation processor generated, so that a
 * renamed benchmark or parameter value breaks the build instead of silently running nothing.
 */
class ProfilesTest {

    private static final OutputFormat SILENT = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);

    @ParameterizedTest
    @ValueSource(strings = {"quick", "full", "smoke"})
    void passes_nameExistingBenchmarksAndValues(String profile) {
        for (ChainedOptionsBuilder pass : Profiles.passes(profile)) {
            Options options = pass.build();
            SortedSet<BenchmarkListEntry> matched =
                    BenchmarkList.defaultList().find(SILENT, options.getIncludes(), options.getExcludes());

            assertThat(matched).as("benchmarks matching %s", options.getIncludes()).isNotEmpty();
            for (Map.Entry<String, Set<String>> declared : declaredValues(matched).entrySet()) {
                if (options.getParameter(declared.getKey()).hasValue()) {
                    assertThat(declared.getValue())
                            .as("values of parameter %s in %s", declared.getKey(), options.getIncludes())
                            .containsAll(options.getParameter(declared.getKey()).get());
                }
            }
        }
    }

    @Test
    void passes_fullRunsEveryBenchmark() {
        Options full = Profiles.passes("full").get(0).build();

        assertThat(BenchmarkList.defaultList().find(SILENT, full.getIncludes(), full.getExcludes()))
                .hasSameSizeAs(BenchmarkList.defaultList().getAll(SILENT, List.of()));
    }

    @Test
    void passes_rejectsUnknownProfile() {
        assertThatThrownBy(() -> Profiles.passes("medium"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"medium\"");
    }

    private static Map<String, Set<String>> declaredValues(Set<BenchmarkListEntry> entries) {
        Map<String, Set<String>> values = new java.util.HashMap<>();
        for (BenchmarkListEntry entry : entries) {
            if (entry.getParams().hasValue()) {
                for (Map.Entry<String, String[]> param : entry.getParams().get().entrySet()) {
                    values.computeIfAbsent(param.getKey(), name -> new HashSet<>()).addAll(List.of(param.getValue()));
                }
            }
        }
        return values;
    }
}
