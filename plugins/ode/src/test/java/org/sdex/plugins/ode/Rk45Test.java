package org.sdex.plugins.ode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.sdex.plugins.ode.Problems.FORCED_DECAY;
import static org.sdex.plugins.ode.Problems.LOGISTIC;
import static org.sdex.plugins.ode.Problems.ROTATION;
import static org.sdex.plugins.ode.Problems.counted;
import static org.sdex.plugins.ode.Problems.grid;
import static org.sdex.plugins.ode.Problems.maxAbsDiff;
import static org.sdex.plugins.ode.Problems.values;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.ode.Problems.Problem;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.OdeSolution;

/**
 * rk45 against closed forms (error within a small multiple of the tolerance, both directions),
 * its exact evaluation count, its step control on a sharp transition, its failure modes, and
 * scipy's RK45 step for step.
 */
class Rk45Test {
    static final Rk45Plugin RK45 = new Rk45Plugin();

    static OdeSolution solve(Problem p, INDArray y0, double t0, double t1, Map<String, ?> params, AtomicInteger calls) {
        return RK45.create(Params.of(RK45, params), 0).solve(counted(p.f(), calls), y0, t0, t1);
    }

    static OdeSolution solve(Problem p, INDArray y0, double t0, double t1, double tol) {
        return solve(p, y0, t0, t1, Map.of("rtol", tol, "atol", tol), new AtomicInteger());
    }

    static INDArray y0(Problem p) {
        return p == ROTATION ? grid(DataType.DOUBLE, 5, 2) : p == LOGISTIC ? Nd4j.createFromArray(1e-4, 2e-4, 5e-4)
                : grid(DataType.DOUBLE, 3, 4);
    }

    static Stream<Arguments> toleranceCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Problem p : List.of(FORCED_DECAY, ROTATION, LOGISTIC)) {
            for (double tol : new double[] {1e-3, 1e-6}) {
                cases.add(Arguments.of(p, tol, 0.0, 1.0));
                if (p != LOGISTIC) cases.add(Arguments.of(p, tol, 1.0, 1e-3));
            }
        }
        return cases.stream();
    }

    /**
     * The tolerance bounds the local error of each step, so the global error is a modest multiple of
     * it, measured here at most about 3 (relative to the scale atol + rtol |y|); 10 is the bound.
     */
    @ParameterizedTest(name = "{0}, rtol = atol = {1}, from {2} to {3}")
    @MethodSource("toleranceCases")
    void theErrorAtTheEndIsWithinASmallMultipleOfTheTolerance(Problem p, double tol, double t0, double t1) {
        INDArray y0 = y0(p);
        AtomicInteger calls = new AtomicInteger();
        OdeSolution s = solve(p, y0, t0, t1, Map.of("rtol", tol, "atol", tol), calls);
        INDArray exact = p.exact(y0, t0, t1);
        double[] got = values(s.y()), want = values(exact);
        double worst = 0;
        for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (tol + tol * Math.abs(want[i])));
        System.out.printf("rk45 %s tol %.0e %.3f->%.3f: %d evaluations, %d accepted, %d rejected, error %.2f x tolerance%n",
                p, tol, t0, t1, s.evaluations(), s.acceptedSteps(), s.rejectedSteps(), worst);
        assertThat(worst).isLessThan(10);
        assertThat(calls.get()).isEqualTo(s.evaluations())
                .as("f(t0), the initial-step probe, then 6 per attempted step")
                .isEqualTo(2 + 6 * (s.acceptedSteps() + s.rejectedSteps()));
    }

    @Test
    void aGivenFirstStepSavesTheProbeEvaluationAndIsClippedToTheInterval() {
        for (double first : new double[] {1e-3, 0.1, 50}) {
            AtomicInteger calls = new AtomicInteger();
            OdeSolution s = solve(ROTATION, y0(ROTATION), 1, 0, Map.of("firstStep", first, "rtol", 1e-6, "atol", 1e-6), calls);
            assertThat(calls.get()).isEqualTo(s.evaluations()).isEqualTo(1 + 6 * (s.acceptedSteps() + s.rejectedSteps()));
            assertThat(maxAbsDiff(s.y(), ROTATION.exact(y0(ROTATION), 1, 0))).isLessThan(1e-5);
            if (first == 50) assertThat(s.rejectedSteps()).as("a whole-interval first step is too long").isPositive();
        }
    }

    /**
     * Fewer accepted steps, and no more evaluations: a loose tolerance can cost rejections (the
     * logistic problem at 1e-2 takes 19 steps and 7 rejections, at 1e-4 22 and 4: 158 evaluations each).
     */
    @Test
    void aLooserToleranceTakesFewerSteps() {
        for (Problem p : List.of(FORCED_DECAY, ROTATION, LOGISTIC)) {
            int previous = Integer.MAX_VALUE, previousEvaluations = Integer.MAX_VALUE;
            for (double tol : new double[] {1e-8, 1e-6, 1e-4, 1e-2}) {
                OdeSolution s = solve(p, y0(p), 0, 1, tol);
                assertThat(s.acceptedSteps()).as("%s at %s", p, tol).isLessThan(previous);
                assertThat(s.evaluations()).isLessThanOrEqualTo(previousEvaluations);
                previous = s.acceptedSteps();
                previousEvaluations = s.evaluations();
            }
        }
    }

    @Test
    void stepsAreRejectedAtASharpTransitionAndTheCountStaysExact() {
        for (double tol : new double[] {1e-3, 1e-6}) {
            AtomicInteger calls = new AtomicInteger();
            OdeSolution s = solve(LOGISTIC, y0(LOGISTIC), 0, 1, Map.of("rtol", tol, "atol", tol), calls);
            assertThat(s.rejectedSteps()).isPositive();
            assertThat(calls.get()).isEqualTo(s.evaluations()).isEqualTo(2 + 6 * (s.acceptedSteps() + s.rejectedSteps()));
        }
    }

    /**
     * Step for step as {@code scipy.integrate.solve_ivp(f, (t0, t1), y0, method='RK45', rtol=tol,
     * atol=tol)} (scipy 1.17.1) on the flattened state: the same accepted and rejected steps
     * (rejected = (nfev - 2) / 6 - accepted) and the same end state up to rounding.
     */
    @Test
    void takesTheStepsScipysRk45Takes() {
        record Case(Problem p, double[] y0, double t0, double t1, double tol, int nfev, int accepted, double[] y) {}
        double[] decay = {1.0, -0.5, 2.0}, rot = {1.0, 0.0, 0.3, -0.7}, logistic = {1e-4, 2e-4};
        List<Case> cases = List.of(
                new Case(FORCED_DECAY, decay, 0, 1, 1e-3, 20, 3, new double[] {0.4657487153165637, 0.26231530995537966, 0.6013709855573532}),
                new Case(FORCED_DECAY, decay, 0, 1, 1e-6, 50, 8, new double[] {0.46561634999905865, 0.262613109243717, 0.600951843835953}),
                new Case(FORCED_DECAY, decay, 1, 0, 1e-3, 20, 3, new double[] {4.9486401808848575, -6.135179166560038, 12.33785307918145}),
                new Case(FORCED_DECAY, decay, 1, 0, 1e-6, 56, 9, new double[] {4.948593280310464, -6.134996410388231, 12.337653074109591}),
                new Case(ROTATION, rot, 0, 1, 1e-3, 26, 4, new double[] {-0.9904820164679486, 0.13963874317664804, -0.1993974847167314, 0.7352290344805584}),
                new Case(ROTATION, rot, 0, 1, 1e-6, 74, 12, new double[] {-0.9899913854627994, 0.14111921987865392, -0.19821396172378225, 0.7353297357875559}),
                new Case(ROTATION, rot, 1, 0, 1e-6, 74, 12, new double[] {-0.9899914144625007, -0.14111924465330972, -0.3957808955960668, 0.6506582167277577}),
                new Case(LOGISTIC, logistic, 0, 1, 1e-3, 146, 19, null),
                new Case(LOGISTIC, logistic, 0, 1, 1e-6, 284, 39, null));
        for (Case c : cases) {
            INDArray y0 = Nd4j.createFromArray(c.y0());
            if (c.p() == ROTATION) y0 = y0.reshape(2, 2);
            OdeSolution s = solve(c.p(), y0, c.t0(), c.t1(), c.tol());
            String what = c.p() + " " + c.t0() + "->" + c.t1() + " at " + c.tol();
            assertThat(s.evaluations()).as(what).isEqualTo(c.nfev());
            assertThat(s.acceptedSteps()).as(what).isEqualTo(c.accepted());
            assertThat(s.rejectedSteps()).as(what).isEqualTo((c.nfev() - 2) / 6 - c.accepted());
            if (c.y() != null) {
                double[] got = values(s.y());
                for (int i = 0; i < got.length; i++) assertThat(got[i]).as(what).isCloseTo(c.y()[i], offset(1e-12));
            }
        }
    }

    @Test
    void givesUpAfterMaxStepsNamingTheTimeReached() {
        Map<String, Object> params = new HashMap<>(Map.of("maxSteps", 5, "rtol", 1e-6, "atol", 1e-6));
        assertThatThrownBy(() -> solve(ROTATION, y0(ROTATION), 10, 0, params, new AtomicInteger()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxSteps = 5")
                .hasMessageContaining("raise maxSteps")
                .satisfies(e -> {
                    Matcher m = Pattern.compile("at t = (\\S+),").matcher(e.getMessage());
                    assertThat(m.find()).as(e.getMessage()).isTrue();
                    assertThat(Double.parseDouble(m.group(1))).isStrictlyBetween(0.0, 10.0);
                });
        params.put("maxSteps", 1000);
        OdeSolution enough = solve(ROTATION, y0(ROTATION), 10, 0, params, new AtomicInteger());
        assertThat(enough.acceptedSteps() + enough.rejectedSteps()).isBetween(6, 1000);
    }

    @Test
    void aNonFiniteDerivativeEndsWithAClearError() {
        INDArray y0 = grid(DataType.DOUBLE, 3);
        assertThatThrownBy(() -> RK45.create(Params.of(RK45, Map.of()), 0).solve(
                (t, y) -> t < 0.5 ? y.neg() : Nd4j.valueArrayOf(y.shape(), Double.NaN, y.dataType()), y0, 0, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("non-finite")
                .hasMessageContaining("t = 0.4");
        // NaN from the start makes the initial step NaN: an error at t0, not an endless loop
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> RK45.create(Params.of(RK45, Map.of()), 0).solve(
                counted((t, y) -> Nd4j.valueArrayOf(y.shape(), Double.NaN, y.dataType()), calls), y0, 1, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("non-finite")
                .hasMessageContaining("at t = 1.0");
        assertThat(calls.get()).isEqualTo(2);
    }

    /** Half-precision states too: their norms are summed in float (squares overflow half at 65504). */
    @Test
    void halfPrecisionStatesWork() {
        for (DataType dt : new DataType[] {DataType.HALF, DataType.BFLOAT16}) {
            INDArray y0 = Nd4j.createFromArray(1.0, -0.5, 2.0).castTo(dt);
            OdeSolution s = solve(FORCED_DECAY, y0, 0, 1, 1e-3);
            assertThat(s.y().dataType()).isEqualTo(dt);
            assertThat(s.acceptedSteps()).isBetween(3, 10);
            assertThat(maxAbsDiff(s.y(), FORCED_DECAY.exact(y0.castTo(DataType.DOUBLE), 0, 1))).isLessThan(2e-2);
        }
    }

    @Test
    void leavesY0AloneAndWorksForAnyShapeAndFloat() {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (long[] shape : new long[][] {{7}, {2, 3, 4}, {1, 1}}) {
                INDArray y0 = grid(dt, shape);
                double[] before = values(y0);
                OdeSolution s = solve(FORCED_DECAY, y0, 1, 1e-3, 1e-4);
                assertThat(values(y0)).containsExactly(before);
                assertThat(s.y().shape()).containsExactly(shape);
                assertThat(s.y().dataType()).isEqualTo(dt);
                assertThat(maxAbsDiff(s.y(), FORCED_DECAY.exact(y0.castTo(DataType.DOUBLE), 1, 1e-3))).isLessThan(1e-3);
            }
        }
        // y' = y as the identity function and through an F-ordered copy; y' = c returning one constant array
        INDArray y0 = grid(DataType.DOUBLE, 3, 2);
        double[] before = values(y0);
        OdeSolution s = RK45.create(Params.of(RK45, Map.of("rtol", 1e-8, "atol", 1e-8)), 0).solve((t, y) -> y, y0, 0, 1);
        assertThat(values(y0)).containsExactly(before);
        assertThat(maxAbsDiff(s.y(), y0.mul(Math.E))).isLessThan(1e-7);
        OdeSolution f = RK45.create(Params.of(RK45, Map.of("rtol", 1e-8, "atol", 1e-8)), 0).solve((t, y) -> y.dup('f'), y0, 0, 1);
        assertThat(maxAbsDiff(f.y(), s.y())).isZero();
        assertThat(f.evaluations()).isEqualTo(s.evaluations());
        INDArray c = grid(DataType.DOUBLE, 3, 2);
        double[] cBefore = values(c);
        OdeSolution line = RK45.create(Params.of(RK45, Map.of()), 0).solve((t, y) -> c, y0, 1, -2);
        assertThat(values(c)).containsExactly(cBefore);
        assertThat(maxAbsDiff(line.y(), y0.sub(c.mul(3)))).isLessThan(1e-13);
    }

    @Test
    void anEmptyIntervalCostsNothing() {
        INDArray y0 = grid(DataType.DOUBLE, 2, 2);
        AtomicInteger calls = new AtomicInteger();
        OdeSolution s = solve(ROTATION, y0, 0.3, 0.3, Map.of(), calls);
        assertThat(calls.get()).isZero();
        assertThat(s.evaluations()).isZero();
        assertThat(s.acceptedSteps()).isZero();
        assertThat(values(s.y())).containsExactly(values(y0));
        assertThat(s.y()).isNotSameAs(y0);
    }
}
