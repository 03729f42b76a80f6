package org.sdex.plugins.guides.operator;

import org.sdex.spi.Params;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;

/** {@code denoise}: the identity, {@code y = x + n}: Gaussian denoising with the measurement noise. */
public final class DenoisePlugin implements OperatorPlugin {
    @Override public String name() { return "denoise"; }

    @Override public String description() { return "identity: the observation is the example plus the measurement noise"; }

    @Override
    public Operator create(Params params, OperatorContext context) {
        boolean[] all = new boolean[SpectralOperator.size(context.exampleShape())];
        java.util.Arrays.fill(all, true);
        return new Selection(context.exampleShape(), all);
    }
}
