package org.sdex.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.sweep.SweepDeclaration.Axis;
import org.sdex.core.sweep.SweepDeclaration.Draw;
import org.sdex.core.sweep.SweepDeclaration.Kind;
import org.sdex.core.sweep.SweepDeclaration.Part;

/** Points of grids, zips and random searches, as --set assignments that read back as the values written. */
class SweepExpansionTest {
    private static final SourceLocation AT = new SourceLocation("s.groovy", 9);

    private static SweepDeclaration sweep(Part... parts) {
        SweepDeclaration d = new SweepDeclaration();
        d.parts.addAll(List.of(parts));
        return d;
    }

    private static Part grid(Axis... axes) { return new Part(Kind.GRID, List.of(axes), 0, 0, AT); }

    @Test
    void aGridIsEveryCombinationWithTheLastAxisFastest() {
        List<SweepPoint> p = SweepExpansion.expand(sweep(grid(Axis.listed("a", List.of(1, 2, 3), AT), Axis.listed("b", List.of("x", "y"), AT))),
                List.of("c=[1,2],[3,4]"));
        assertThat(p).hasSize(12);
        assertThat(p.get(0).assignments()).containsExactly("a=1", "b=x", "c=[1,2]");
        assertThat(p.get(1).assignments()).containsExactly("a=1", "b=x", "c=[3,4]");
        assertThat(p.get(11).assignments()).containsExactly("a=3", "b=y", "c=[3,4]");
        assertThat(p.get(11).folder()).isEqualTo("011-3-y-3_4");
        assertThat(p).extracting(SweepPoint::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void valuesAreWrittenSoThatSetReadsThemBack() {
        assertThat(SweepExpansion.assignment("sample.solver", "ddim")).isEqualTo("sample.solver=ddim");
        assertThat(SweepExpansion.assignment("k", "two words")).isEqualTo("k=\"two words\"");
        assertThat(SweepExpansion.assignment("k", "true")).isEqualTo("k=\"true\"");
        assertThat(SweepExpansion.assignment("k", 2e-3)).isEqualTo("k=0.002");
        assertThat(SweepExpansion.assignment("k", List.of(64, 64))).isEqualTo("k=[64,64]");
        assertThat(SweepExpansion.assignment("k", false)).isEqualTo("k=false");
    }

    @Test
    void aZipPairsTheIthValuesAndNeedsListsOfOneLength() {
        Part zip = new Part(Kind.ZIP, List.of(Axis.listed("a", List.of(1, 2), AT), Axis.listed("b", List.of(3, 4), AT)), 0, 0, AT);
        assertThat(SweepExpansion.expand(sweep(zip), List.of())).extracting(SweepPoint::assignments)
                .containsExactly(List.of("a=1", "b=3"), List.of("a=2", "b=4"));
        Part bad = new Part(Kind.ZIP, List.of(Axis.listed("a", List.of(1, 2), AT), Axis.listed("b", List.of(3), AT)), 0, 0, AT);
        assertThatThrownBy(() -> SweepExpansion.expand(sweep(bad), List.of())).isInstanceOf(ConfigException.class)
                .hasMessage("s.groovy:9: zip needs lists of one length; 'b' has 1 values, 'a' has 2");
    }

    @Test
    void aNullLeavesTheSettingAsTheScriptHasItAtThatPoint() {
        Part zip = new Part(Kind.ZIP, List.of(Axis.listed("sample.predictor", java.util.Arrays.asList("reverse_diffusion", null), AT),
                Axis.listed("sample.solver", java.util.Arrays.asList(null, "ddim"), AT),
                Axis.listed("sample.steps", java.util.Arrays.asList(500, 20), AT)), 0, 0, AT);
        List<SweepPoint> p = SweepExpansion.expand(sweep(zip, grid(Axis.listed("seed", java.util.Arrays.asList(null, 3), AT))), List.of());
        assertThat(p).extracting(SweepPoint::assignments).containsExactly(
                List.of("sample.predictor=reverse_diffusion", "sample.steps=500"),
                List.of("sample.predictor=reverse_diffusion", "sample.steps=500", "seed=3"),
                List.of("sample.solver=ddim", "sample.steps=20"),
                List.of("sample.solver=ddim", "sample.steps=20", "seed=3"));
        assertThat(p.get(2).folder()).isEqualTo("002-ddim-20");
    }

    @Test
    void randomDrawsRepeatForASeedAndStayInRange() {
        Part random = new Part(Kind.RANDOM, List.of(new Axis("lr", List.of(), Draw.LOG_UNIFORM, 1e-4, 1e-2, AT),
                new Axis("beta", List.of(), Draw.UNIFORM, 10, 30, AT), new Axis("h", List.of(32, 64), Draw.CHOICE, 0, 0, AT)), 200, 5, AT);
        List<SweepPoint> a = SweepExpansion.expand(sweep(random), List.of());
        assertThat(SweepExpansion.expand(sweep(random), List.of())).isEqualTo(a);
        assertThat(a).hasSize(200);
        int small = 0;
        int chose32 = 0;
        for (SweepPoint p : a) {
            double lr = Double.parseDouble(SweepPoint.value(p.assignments().get(0)));
            double beta = Double.parseDouble(SweepPoint.value(p.assignments().get(1)));
            assertThat(lr).isBetween(1e-4, 1e-2);
            assertThat(beta).isBetween(10.0, 30.0);
            if (lr < 1e-3) small++;
            if (p.assignments().get(2).equals("h=32")) chose32++;
        }
        // log-uniform: half the draws below the geometric middle 1e-3
        assertThat(small).isBetween(70, 130);
        assertThat(chose32).isBetween(70, 130);
    }

    @Test
    void emptyListsTwiceSweptKeysAndNothingToSweepAreErrors() {
        assertThatThrownBy(() -> SweepExpansion.expand(sweep(grid(Axis.listed("a", List.of(), AT))), List.of()))
                .hasMessage("s.groovy:9: 'a' has no values; give at least one, like 'a': [V1, V2]");
        assertThatThrownBy(() -> SweepExpansion.expand(sweep(grid(Axis.listed("a", List.of(1), AT))), List.of("a=2,3")))
                .hasMessage("--grid a=2,3: 'a' is swept twice; it is already swept at s.groovy:9");
        assertThatThrownBy(() -> SweepExpansion.expand(null, List.of())).hasMessageStartingWith("nothing to sweep");
        assertThatThrownBy(() -> SweepExpansion.expand(null, List.of("steps"))).hasMessageStartingWith("--grid steps: expected KEY=V1,V2");
    }
}
