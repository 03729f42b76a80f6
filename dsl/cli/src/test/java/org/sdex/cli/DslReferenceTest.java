package org.sdex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sdex.core.vocabulary.Block;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.Param;

/**
 * docs/dsl.md's reference tables are the vocabulary's: the test fails when a setting or block was
 * added, changed or removed without the page. {@code -Dsdex.updateDocs=true} rewrites the tables.
 */
class DslReferenceTest {
    private static final Path PAGE = Path.of("../../docs/dsl.md");

    @Test
    void theReferenceTablesOfDocsDslMdAreTheVocabularys() throws Exception {
        String page = Files.readString(PAGE);
        String current = DslReference.update(page);
        if (Boolean.getBoolean("sdex.updateDocs") && !current.equals(page)) Files.writeString(PAGE, current);
        assertThat(page).as("docs/dsl.md is stale; run DslReferenceTest with -Dsdex.updateDocs=true").isEqualTo(current);
    }

    @Test
    void everyBlockAnExperimentRunsHasItsTableAndEverySettingARow() throws Exception {
        String page = Files.readString(PAGE);
        assertThat(page).contains("<!-- vocabulary experiment -->");
        for (Block b : Vocabulary.runBlocks()) {
            assertThat(page).contains("<!-- vocabulary " + b.name() + " -->");
            String table = DslReference.tables(b);
            for (Param p : b.settings()) assertThat(table).contains("| `" + p.name() + "` | ");
        }
        assertThat(DslReference.tables(Vocabulary.EXPERIMENT)).contains("| `model ..., init: VALUE` | `''` |", "| `sample { }` |");
    }
}
