package io.pgrepmon.pipeline;

import io.pgrepmon.model.CutoverCheck;
import io.pgrepmon.model.PairCutover;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeepCheckJobTest {

    static PairCutover verdict(CutoverCheck... checks) {
        return new PairCutover("p", PairCutover.Verdict.NOT_READY, "", List.of(checks), null, List.of());
    }

    @Test
    void theGateWaitsOnlyWhenTheQuietPeriodIsAllThatIsMissing() {
        CutoverCheck ok = CutoverCheck.pass("caught-up", "caught up", "0 bytes behind");
        CutoverCheck recent = CutoverCheck.fail("source-quiet", "no writes", "rows changed 3 s ago (quiet needs 30 s)", List.of());
        CutoverCheck writing = CutoverCheck.fail("source-quiet", "no writes", "1 transaction(s) writing now", List.of());
        CutoverCheck stale = CutoverCheck.unknown("content", "content", "rows changed on the source after the deep check");
        assertThat(DeepCheckJob.onlyQuieting(verdict(ok, recent))).isTrue();
        assertThat(DeepCheckJob.onlyQuieting(verdict(ok, writing))).as("an open transaction is no wait").isFalse();
        assertThat(DeepCheckJob.onlyQuieting(verdict(ok, recent, stale))).isFalse();
        assertThat(DeepCheckJob.onlyQuieting(verdict(ok))).isFalse();
        assertThat(DeepCheckJob.onlyQuieting(null)).isFalse();
    }
}
