package org.sdex.spi.sde;

/**
 * How a network is told the noise level at time t, as in the reference implementation: VP-type
 * SDEs pass {@code 999 t} (a DDPM time step, for a positional embedding), VE passes sigma(t)
 * (for a Fourier embedding of log sigma).
 */
public enum NoiseLabel {
    TIME_999,
    SIGMA;

    public double value(Sde sde, double t) {
        return this == TIME_999 ? 999.0 * t : sde.marginalStd(t);
    }
}
