package dev.tierlimit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySequenceTest {

    @Test
    void keyNames_uniqueAndShaped() {
        String[] keys = KeySequence.keyNames(1_000);

        assertThat(keys[0]).isEqualTo("account:acct_0000000");
        assertThat(keys[999]).isEqualTo("account:acct_0000999");
        assertThat(new HashSet<>(List.of(keys))).hasSize(1_000);
    }

    @Test
    void uniform_drawsEveryKeyEvenly() {
        int[] counts = KeySequence.create(1_000, "uniform").frequencies();
        int mean = KeySequence.LENGTH / 1_000;

        assertThat(Arrays.stream(counts).min().getAsInt()).isGreaterThan(mean / 2);
        assertThat(Arrays.stream(counts).max().getAsInt()).isLessThan(mean * 3 / 2);
    }

    @Test
    void zipf_topKeysFollowOneOverRank() {
        int[] counts = KeySequence.create(1_000, "zipf").frequencies();
        int[] sorted = Arrays.stream(counts).sorted().toArray();
        int top = sorted[sorted.length - 1];
        int second = sorted[sorted.length - 2];
        double harmonic = 0;
        for (int rank = 1; rank <= 1_000; rank++) {
            harmonic += 1.0 / rank;
        }

        assertThat((double) top / KeySequence.LENGTH).isCloseTo(1 / harmonic, offset(0.005));
        assertThat((double) second / top).isCloseTo(0.5, offset(0.03));
    }

    @Test
    void zipf_hotKeyIsNotFirstCreated() {
        int[] counts = KeySequence.create(1_000, "zipf").frequencies();
        int hottest = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[hottest]) {
                hottest = i;
            }
        }

        assertThat(hottest).isNotZero();
    }

    @Test
    void create_sameInputsSameOrder() {
        KeySequence first = KeySequence.create(100_000, "zipf");
        KeySequence second = KeySequence.create(100_000, "zipf");

        for (int i = 0; i < 10_000; i++) {
            assertThat(first.next()).as("draw %d", i).isEqualTo(second.next());
        }
    }

    @Test
    void next_wrapsAfterFullCycle() {
        KeySequence sequence = KeySequence.create(1_000, "uniform");
        String firstKey = sequence.next();
        for (int i = 1; i < KeySequence.LENGTH; i++) {
            sequence.next();
        }

        assertThat(sequence.next()).isEqualTo(firstKey);
    }

    @Test
    void create_rejectsBadArguments() {
        assertThatThrownBy(() -> KeySequence.create(10, "gaussian"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"gaussian\"");
        assertThatThrownBy(() -> KeySequence.create(0, "uniform"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(": 0");
    }
}
