package io.pgrepmon.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {

    @Test
    void parsesTheTextFormIntoA64BitPosition() {
        assertThat(Lsn.parse("0/3A000110").value()).isEqualTo(0x3A000110L);
        assertThat(Lsn.parse("16/B374D848").value()).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF").value()).isEqualTo(-1L);
        assertThat(Lsn.parse(null)).isNull();
    }

    @Test
    void printsLikePostgreSQL() {
        assertThat(Lsn.parse("0/3A000110")).hasToString("0/3A000110");
        assertThat(Lsn.parse("1/0")).hasToString("1/0");
        assertThat(new Lsn((0xABL << 32) | 0x5L)).hasToString("AB/5");
    }

    @Test
    void comparesAsNumbersNotAsText() {
        // As strings "0/9" > "0/10" and "9/0" > "10/0"; as positions they are not.
        assertThat(Lsn.parse("0/9")).isLessThan(Lsn.parse("0/10"));
        assertThat(Lsn.parse("9/0")).isLessThan(Lsn.parse("10/0"));
        assertThat(Lsn.parse("0/FFFFFFFF")).isLessThan(Lsn.parse("1/0"));
        assertThat(Lsn.parse("7FFFFFFF/0")).isLessThan(Lsn.parse("80000000/0"));
    }

    @Test
    void bytesBetweenCrossesThe32BitBoundaryAndNeverGoesNegative() {
        assertThat(Lsn.bytesBetween(Lsn.parse("1/0"), Lsn.parse("0/FFFFFFFF"))).isEqualTo(1);
        assertThat(Lsn.bytesBetween(Lsn.parse("2/10"), Lsn.parse("1/0"))).isEqualTo(0x100000010L);
        assertThat(Lsn.bytesBetween(Lsn.parse("0/10"), Lsn.parse("0/20"))).isZero();
        assertThat(Lsn.bytesBetween(null, Lsn.parse("0/20"))).isNull();
        assertThat(Lsn.bytesBetween(Lsn.parse("0/20"), null)).isNull();
    }

    @Test
    void rejectsWhatIsNotAnLsn() {
        for (String bad : new String[] {"", "0", "/1", "1/", "G/1", "0/123456789", "123456789/0", "1/2/3", "-1/0", "+1/0", "0/-1"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
