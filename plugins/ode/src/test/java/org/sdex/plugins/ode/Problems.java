package org.sdex.plugins.ode;

import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.spi.sampling.OdeFunction;

/** Test problems with closed-form solutions, and small array helpers. */
final class Problems {
    private Problems() {}

    /** An ODE with its exact flow: {@code exact(y0, t0, t1)} is y(t1) for y(t0) = y0. */
    interface Problem {
        String name();

        OdeFunction f();

        INDArray exact(INDArray y0, double t0, double t1);
    }

    /**
     * {@code y' = -2 y + cos t}, element-wise on any shape:
     * {@code y(t) = (y0 - p(t0)) e^{-2 (t - t0)} + p(t)} with {@code p(t) = (2 cos t + sin t) / 5}.
     */
    static final Problem FORCED_DECAY = new Problem() {
        @Override public String name() { return "forced decay"; }

        @Override public OdeFunction f() { return (t, y) -> y.mul(-2).addi(Math.cos(t)); }

        @Override public INDArray exact(INDArray y0, double t0, double t1) {
            return y0.sub(p(t0)).muli(Math.exp(-2 * (t1 - t0))).addi(p(t1));
        }

        private double p(double t) { return (2 * Math.cos(t) + Math.sin(t)) / 5; }

        @Override public String toString() { return name(); }
    };

    static final double W = 3;

    /**
     * The rotation {@code y' = A y}, {@code A = [[0, -W], [W, 0]]}, on each row of a [B, 2] array; the
     * flow is the matrix exponential {@code exp(A (t1 - t0))}, the rotation by {@code W (t1 - t0)}.
     * The right-hand side is computed column-wise, element by element, so a row's derivative does
     * not depend on the other rows (a matrix product could round differently for other batch sizes).
     */
    static final Problem ROTATION = new Problem() {
        @Override public String name() { return "rotation"; }

        @Override public OdeFunction f() {
            return (t, y) -> {
                INDArray d = Nd4j.createUninitialized(y.dataType(), y.shape(), 'c');
                d.getColumn(0).assign(y.getColumn(1).mul(-W));
                d.getColumn(1).assign(y.getColumn(0).mul(W));
                return d;
            };
        }

        @Override public INDArray exact(INDArray y0, double t0, double t1) {
            double[][] m = expm(new double[][] {{0, -W}, {W, 0}}, t1 - t0);
            INDArray e = Nd4j.createFromArray(m).castTo(y0.dataType());
            return y0.mmul(e.transpose());
        }

        @Override public String toString() { return name(); }
    };

    /** exp(A s) for a 2x2 A = [[a, -b], [b, a]]: e^{a s} (cos(b s) I + sin(b s) J). */
    static double[][] expm(double[][] m, double s) {
        double a = m[0][0], b = m[1][0];
        if (m[1][1] != a || m[0][1] != -b) throw new IllegalArgumentException("only a I + b J");
        double r = Math.exp(a * s), c = r * Math.cos(b * s), sn = r * Math.sin(b * s);
        return new double[][] {{c, -sn}, {sn, c}};
    }

    /** Logistic growth {@code y' = R y (1 - y)} from a tiny y0: flat, a sharp switch near t = 0.18, flat. */
    static final double R = 50;

    static final Problem LOGISTIC = new Problem() {
        @Override public String name() { return "logistic"; }

        @Override public OdeFunction f() { return (t, y) -> y.rsub(1).muli(y).muli(R); }

        @Override public INDArray exact(INDArray y0, double t0, double t1) {
            // 1 / (1 + (1/y0 - 1) e^{-R (t1 - t0)})
            return Transforms.pow(y0, -1, true).subi(1).muli(Math.exp(-R * (t1 - t0))).addi(1).rdivi(1);
        }

        @Override public String toString() { return name(); }
    };

    /** The right-hand side with a call counter. */
    static OdeFunction counted(OdeFunction f, AtomicInteger calls) {
        return (t, y) -> {
            calls.incrementAndGet();
            return f.derivative(t, y);
        };
    }

    /** The elements in C order, as doubles. */
    static double[] values(INDArray a) {
        INDArray flat = a.castTo(DataType.DOUBLE).dup('c').reshape(a.length());
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) v[i] = flat.getDouble(i);
        return v;
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        double[] x = values(a), y = values(b);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    /** An array of the given shape and type with distinct, reproducible entries in [-1.5, 1.5]. */
    static INDArray grid(DataType dt, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = 1.5 * Math.sin(1.7 * i + 0.3);
        return Nd4j.createFromArray(v).reshape(shape).castTo(dt);
    }
}
