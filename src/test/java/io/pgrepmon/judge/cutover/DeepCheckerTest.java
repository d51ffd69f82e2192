package io.pgrepmon.judge.cutover;

import io.pgrepmon.judge.cutover.DeepChecker.Side;
import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.DeepCheck;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the deep checks conclude from both sides' reads. */
class DeepCheckerTest {

    static Side side(Map<String, Long> counts, Map<String, List<String>> columns) {
        return new Side(null, Map.of(), List.of(), counts, Map.of(), columns);
    }

    @Test
    void tablesLeftOutByMaxTablesMakeCountsAndSchemaUnknownNeverAPass() {
        Side both = side(Map.of("public.a", 5L), Map.of("public.a", List.of("id int")));
        DeepCheck deep = DeepChecker.compare("p", Instant.EPOCH, both, both, 3, List.of("public.b", "public.c"), 1);
        assertThat(deep.tables()).extracting(DeepCheck.TableCount::table).containsExactly("public.a", "public.b", "public.c");

        CutoverCheck counts = CutoverEvaluator.rowCounts(deep, null);
        assertThat(counts.result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(counts.items()).containsExactly(
                "public.b: not compared: beyond monitor.cutover.max-tables (1); raise it to compare every table",
                "public.c: not compared: beyond monitor.cutover.max-tables (1); raise it to compare every table");
        CutoverCheck schema = CutoverEvaluator.schema(deep);
        assertThat(schema.result()).isEqualTo(CutoverCheck.Result.UNKNOWN);
        assertThat(schema.evidence()).startsWith("2 of 3 table(s) not compared");

        DeepCheck all = DeepChecker.compare("p", Instant.EPOCH, both, both, 1, List.of(), 1);
        assertThat(CutoverEvaluator.rowCounts(all, null).result()).isEqualTo(CutoverCheck.Result.PASS);
        assertThat(CutoverEvaluator.schema(all).result()).isEqualTo(CutoverCheck.Result.PASS);
    }

    @Test
    void aSchemaDifferenceFailsEvenWhenSomeTablesWereNotCompared() {
        DeepCheck deep = DeepChecker.compare("p", Instant.EPOCH,
                side(Map.of("public.a", 5L), Map.of("public.a", List.of("id int", "note text"))),
                side(Map.of("public.a", 5L), Map.of("public.a", List.of("id int"))), 2, List.of("public.b"), 1);
        assertThat(CutoverEvaluator.schema(deep).result()).isEqualTo(CutoverCheck.Result.FAIL);
    }
}
