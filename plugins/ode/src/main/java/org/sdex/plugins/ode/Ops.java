package org.sdex.plugins.ode;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.sampling.OdeFunction;

/**
 * The few in-place array operations the solvers are built from, and the checks around calling the
 * right-hand side. Every solver keeps its state in buffers it allocates once per solve and updates
 * them with {@link #axpy} ({@code y += a x}, one pass, no allocation).
 */
final class Ops {
    private Ops() {}

    /** Rejects what no solver can integrate: a non-floating-point state or a non-finite time. */
    static void checkProblem(String solver, OdeFunction f, INDArray y0, double t0, double t1) {
        if (f == null || y0 == null) throw new IllegalArgumentException(solver + ": needs an ODE function and an initial state");
        if (!y0.dataType().isFPType()) {
            throw new IllegalArgumentException(solver + ": the state must be floating point, got " + y0.dataType());
        }
        if (!Double.isFinite(t0) || !Double.isFinite(t1)) {
            throw new IllegalArgumentException(solver + ": the time interval must be finite, got [" + t0 + ", " + t1 + "]");
        }
    }

    /** A fresh C-ordered buffer of the state's shape and type, contents undefined. */
    static INDArray buffer(INDArray like) {
        return Nd4j.createUninitialized(like.dataType(), like.shape(), 'c');
    }

    /** A fresh C-ordered copy (never a view of {@code y}, so the caller's array is never written). */
    static INDArray copy(INDArray y) {
        return buffer(y).assign(y);
    }

    /**
     * {@code y += a * x} in place, each element rounded the same way wherever it sits. Not BLAS
     * axpy, though about twice as fast: OpenBLAS's kernel for AMD Zen 4 uses fused multiply-adds
     * for whole vectors and a separate multiply and add for the remainder, so a row integrated
     * alone and the same row inside a batch differed in the last bit.
     */
    static void axpy(double a, INDArray x, INDArray y) {
        if (y.isEmpty()) return;
        Nd4j.exec(new Axpy(x, y, y, a));
    }

    /** {@code out = y + a * x}: a copy and one {@link #axpy}. */
    static INDArray axpy(double a, INDArray x, INDArray y, INDArray out) {
        out.assign(y);
        axpy(a, x, out);
        return out;
    }

    /**
     * Root-mean-square of the elements, {@code ||x|| / sqrt(n)} (scipy's {@code norm} in solve_ivp).
     * Half-precision types are summed in float: their squares overflow at 65504.
     */
    static double rms(INDArray x) {
        DataType dt = x.dataType();
        INDArray wide = dt == DataType.DOUBLE || dt == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        return wide.norm2Number().doubleValue() / Math.sqrt(x.length());
    }

    /**
     * Evaluates {@code f(t, y)} and returns an array the solver may keep while it writes its own
     * buffers: of the state's type and shape, and sharing no memory with any of {@code owned} (the
     * buffers the solver writes). What does share is copied: {@code (t, y) -> y} returns its
     * argument. Ordinary functions return fresh arrays, and nothing is copied.
     *
     * <p>The solvers never write the arrays f returns (a constant array returned at every call is
     * fine), but they keep them until the step ends: f must not overwrite an array it returned
     * earlier, e.g. by writing every result into one output buffer.
     */
    static INDArray derivative(String solver, OdeFunction f, double t, INDArray y, INDArray... owned) {
        INDArray k = f.derivative(t, y);
        if (k == null) throw new IllegalStateException(solver + ": the ODE function returned nothing at t = " + t);
        if (!Arrays.equals(k.shape(), y.shape())) {
            throw new IllegalStateException(solver + ": the ODE function returned shape " + Arrays.toString(k.shape())
                    + " for a state of shape " + Arrays.toString(y.shape()) + " at t = " + t);
        }
        if (k.dataType() != y.dataType()) return k.castTo(y.dataType());
        for (INDArray o : owned) {
            if (o != null && sharesMemory(k, o)) return k.dup('c');
        }
        return k;
    }

    /** Conservative: true when the two arrays' buffers overlap at all (views of one buffer included). */
    static boolean sharesMemory(INDArray a, INDArray b) {
        if (a == b) return true;
        if (a.isEmpty() || b.isEmpty()) return false;
        DataBuffer da = a.data(), db = b.data();
        if (da == db) return true;
        try {
            long a0 = da.address(), b0 = db.address();
            if (a0 == b0) return true;
            long a1 = a0 + extent(da), b1 = b0 + extent(db);
            return a0 < b1 && b0 < a1;
        } catch (RuntimeException e) {
            return false; // a backend without host addresses: identity was all we could check
        }
    }

    private static long extent(DataBuffer d) {
        return Math.max(d.length(), d.underlyingLength()) * d.getElementSize();
    }
}
