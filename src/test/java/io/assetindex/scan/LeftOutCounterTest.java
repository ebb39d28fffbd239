package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.store.LeftOut;
import org.junit.jupiter.api.Test;

class LeftOutCounterTest {

    @Test
    void countsPerExtensionKeepingTheFirstExampleMostFilesFirst() {
        LeftOutCounter counter = new LeftOutCounter();
        counter.add("txt", "raw_assets/a.txt");
        counter.add("oga", "raw_assets/bell.oga");
        counter.add("oga", "raw_assets/chime.oga");

        LeftOut leftOut = counter.result();

        assertThat(leftOut.byExtension().keySet()).containsExactly("oga", "txt");
        assertThat(leftOut.byExtension().get("oga")).isEqualTo(new LeftOut.Extension(2, "raw_assets/bell.oga"));
        assertThat(leftOut.files()).isEqualTo(3);
    }

    @Test
    void aTreeOfMadeUpExtensionsKeepsFiftyAndCountsTheRestTogether() {
        LeftOutCounter counter = new LeftOutCounter();
        for (int i = 0; i < 10_000; i++) {
            counter.add("x" + i, "raw_assets/f." + "x" + i);
        }
        counter.add("x0", "raw_assets/again.x0");

        LeftOut leftOut = counter.result();

        assertThat(leftOut.byExtension()).hasSize(LeftOutCounter.MAX_EXTENSIONS);
        assertThat(leftOut.byExtension().get("x0").files()).as("a kept extension still counts").isEqualTo(2);
        assertThat(leftOut.otherFiles()).isEqualTo(10_000 - LeftOutCounter.MAX_EXTENSIONS);
        assertThat(leftOut.files()).isEqualTo(10_001);
    }

    @Test
    void countsOfSeveralWalksAddUp() {
        LeftOutCounter first = new LeftOutCounter();
        first.add("oga", "raw_assets/bell.oga");
        LeftOutCounter second = new LeftOutCounter();
        second.add("oga", "jobs/A/chime.oga");
        second.add("txt", "jobs/A/notes.txt");

        LeftOutCounter both = new LeftOutCounter();
        both.addAll(first.result());
        both.addAll(second.result());

        assertThat(both.result().byExtension().get("oga")).isEqualTo(new LeftOut.Extension(2, "raw_assets/bell.oga"));
        assertThat(both.result().files()).isEqualTo(3);
    }
}
