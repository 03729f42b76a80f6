package org.sdex.plugins.ode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.sdex.plugins.ode.Problems.FORCED_DECAY;
import static org.sdex.plugins.ode.Problems.ROTATION;
import static org.sdex.plugins.ode.Problems.counted;
import static org.sdex.plugins.ode.Problems.grid;
import static org.sdex.plugins.ode.Problems.maxAbsDiff;
import static org.sdex.plugins.ode.Problems.values;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.sdex.spi.sampling.OdeFunction;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;

/**
 * euler, heun and rk4 against closed-form solutions: the order of convergence measured from halving
 * the step, in both directions; exact evaluation counts; batches equal to rows integrated alone
 * (bitwise); any shape and float type; y0 never written.
 */
class FixedStepSolversTest {
    /** A solver, its order, and the coarser of the two step counts the order is measured with. */
    record Method(OdeSolverPlugin plugin, int order, int steps) {
        OdeSolver create(int n) { return plugin.create(Params.of(plugin, Map.of()), n); }

        @Override public String toString() { return plugin.name(); }
    }

    static final List<Method> METHODS = List.of(
            new Method(new EulerPlugin(), 1, 200),
            new Method(new HeunPlugin(), 2, 50),
            new Method(new Rk4Plugin(), 4, 10));

    static Stream<Arguments> orderCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Method m : METHODS) {
            for (Problem p : List.of(FORCED_DECAY, ROTATION)) {
                cases.add(Arguments.of(m, p, 0.0, 1.0));
                cases.add(Arguments.of(m, p, 1.0, 0.0));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1} from {2} to {3}")
    @MethodSource("orderCases")
    void halvingTheStepDividesTheErrorByTwoToTheOrder(Method m, Problem p, double t0, double t1) {
        INDArray y0 = p == ROTATION ? grid(DataType.DOUBLE, 3, 2) : grid(DataType.DOUBLE, 2, 3);
        INDArray exact = p.exact(y0, t0, t1);
        double coarse = maxAbsDiff(m.create(m.steps()).solve(p.f(), y0, t0, t1).y(), exact);
        double fine = maxAbsDiff(m.create(2 * m.steps()).solve(p.f(), y0, t0, t1).y(), exact);
        double order = Math.log(coarse / fine) / Math.log(2);
        System.out.printf("%s %s %.0f->%.0f: error %.3e at %d steps, %.3e at %d, order %.3f%n",
                m, p, t0, t1, coarse, m.steps(), fine, 2 * m.steps(), order);
        assertThat(order).as("measured order").isCloseTo(m.order(), offset(0.3));
        assertThat(fine).as("the error is the method's, far above rounding").isGreaterThan(1e-12);
    }

    static Stream<Method> methods() { return METHODS.stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void makesExactlyTheAnnouncedNumberOfEvaluationsAndStepsInBothDirections(Method m) {
        Params none = Params.of(m.plugin(), Map.of());
        for (int steps : new int[] {1, 7, 32}) {
            for (double[] interval : new double[][] {{0, 1}, {1, 1e-3}, {0.5, 0.5}}) {
                AtomicInteger calls = new AtomicInteger();
                OdeSolution s = m.plugin().create(none, steps).solve(counted(FORCED_DECAY.f(), calls),
                        grid(DataType.DOUBLE, 4), interval[0], interval[1]);
                assertThat(calls.get()).isEqualTo(m.plugin().evaluations(none, steps)).isEqualTo(s.evaluations());
                assertThat(s.acceptedSteps()).isEqualTo(steps);
                assertThat(s.rejectedSteps()).isZero();
            }
        }
        // 1, 2 and 4 evaluations per step: for these three methods, the order
        assertThat(m.plugin().evaluations(none, 10)).isEqualTo(10 * m.order());
        assertThat(m.plugin().adaptive()).isFalse();
        assertThatThrownBy(() -> m.create(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void aBatchGivesBitwiseWhatEachRowGivesAlone(Method m) {
        for (Problem p : List.of(ROTATION, FORCED_DECAY)) {
            for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                INDArray batch = grid(dt, 9, 2);
                INDArray together = m.create(10).solve(p.f(), batch, 1.0, 1e-3).y();
                assertThat(together.dataType()).isEqualTo(dt);
                for (int b = 0; b < 9; b++) {
                    INDArray alone = m.create(10).solve(p.f(), batch.getRow(b, true).dup(), 1.0, 1e-3).y();
                    assertThat(values(together.getRow(b, true))).as("%s %s row %d", p, dt, b).containsExactly(values(alone));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void leavesY0AloneAndWorksForAnyShapeAndFloatType(Method m) {
        for (long[] shape : new long[][] {{5}, {2, 3, 4}, {1, 1}, {3, 1, 2, 2}}) {
            for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                INDArray y0 = grid(dt, shape);
                double[] before = values(y0);
                INDArray y = m.create(40).solve(FORCED_DECAY.f(), y0, 0, 1).y();
                assertThat(values(y0)).containsExactly(before);
                assertThat(y).isNotSameAs(y0);
                assertThat(y.shape()).containsExactly(shape);
                assertThat(y.dataType()).isEqualTo(dt);
                double tol = switch (m.order()) {
                    case 1 -> 5e-2;
                    case 2 -> 1e-3;
                    default -> dt == DataType.FLOAT ? 1e-5 : 1e-6;
                };
                assertThat(maxAbsDiff(y, FORCED_DECAY.exact(y0.castTo(DataType.DOUBLE), 0, 1))).isLessThan(tol);
            }
        }
        // a scalar state, and a state that is a transposed view (F order)
        INDArray scalar = Nd4j.scalar(0.75);
        assertThat(m.create(40).solve(FORCED_DECAY.f(), scalar, 0, 1).y().getDouble(0))
                .isCloseTo(FORCED_DECAY.exact(scalar, 0, 1).getDouble(0), offset(5e-2));
        INDArray base = grid(DataType.DOUBLE, 2, 3);
        INDArray view = base.transpose();
        double[] before = values(base);
        INDArray y = m.create(40).solve(ROTATION.f(), view, 0, 1).y();
        assertThat(values(base)).containsExactly(before);
        assertThat(maxAbsDiff(y, m.create(40).solve(ROTATION.f(), view.dup('c'), 0, 1).y())).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void aRightHandSideThatReturnsItsArgumentAViewOrAConstantIsIntegratedCorrectly(Method m) {
        INDArray y0 = grid(DataType.DOUBLE, 4, 3);
        double[] before = values(y0);
        // y' = y, written as the identity: the solver must not update the array it is reading
        OdeFunction identity = (t, y) -> y;
        INDArray e = y0.mul(Math.E);
        INDArray y = m.create(200).solve(identity, y0, 0, 1).y();
        assertThat(values(y0)).containsExactly(before);
        assertThat(maxAbsDiff(y, e)).isLessThan(m.order() == 1 ? 2e-2 : 1e-4);
        // the same through an F-ordered copy and through a view of the argument
        assertThat(maxAbsDiff(m.create(200).solve((t, x) -> x.dup('f'), y0, 0, 1).y(), y)).isZero();
        assertThat(maxAbsDiff(m.create(200).solve((t, x) -> x.reshape(x.shape()), y0, 0, 1).y(), y)).isZero();
        // y' = c returning one constant array at every call: the solver never writes what f returns
        INDArray c = grid(DataType.DOUBLE, 4, 3).muli(0.5);
        double[] cBefore = values(c);
        INDArray line = m.create(7).solve((t, x) -> c, y0, 0.25, -1).y();
        assertThat(values(c)).containsExactly(cBefore);
        assertThat(maxAbsDiff(line, y0.sub(c.mul(1.25)))).isLessThan(1e-14);
    }

    @Test
    void rejectsWhatCannotBeIntegrated() {
        OdeSolver euler = new EulerPlugin().create(Params.of(new EulerPlugin(), Map.of()), 3);
        assertThatThrownBy(() -> euler.solve(FORCED_DECAY.f(), Nd4j.createFromArray(1, 2), 0, 1))
                .hasMessageContaining("floating point");
        assertThatThrownBy(() -> euler.solve(FORCED_DECAY.f(), grid(DataType.DOUBLE, 2), 0, Double.NaN))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> euler.solve((t, y) -> Nd4j.zeros(3), grid(DataType.DOUBLE, 2), 0, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shape [3]").hasMessageContaining("[2]");
    }
}
