package org.sdex.plugins.models.ncsnpp;

/**
 * {@code ncsnpp}: NCSN++ (Song et al. 2021), defaults of the reference's NCSN++ cont. CIFAR-10 config
 * (configs/ve/cifar10_ncsnpp_continuous.py): nf 128, chMult [1, 2, 2, 2], 4 residual blocks per level
 * (8 for NCSN++ cont. deep), attention at 16, BigGAN-type blocks with FIR resampling, a residual
 * input pyramid, Fourier features of log sigma on VE (auto), dropout 0.1, skip rescaling, initScale 0.
 */
public final class NcsnppPlugin extends NcsnppFamilyPlugin {
    public NcsnppPlugin() { super(new Defaults(true, "residual")); }

    @Override public String name() { return "ncsnpp"; }

    @Override public String description() {
        return "NCSN++ U-Net (FIR resampling, residual input pyramid, Fourier noise features): the paper's VE image model";
    }
}
