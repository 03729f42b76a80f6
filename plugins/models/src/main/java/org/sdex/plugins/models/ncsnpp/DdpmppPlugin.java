package org.sdex.plugins.models.ncsnpp;

/**
 * {@code ddpmpp}: DDPM++ (Song et al. 2021), NCSN++ without FIR resampling and without the input
 * pyramid; defaults of the reference's DDPM++ cont. (VP) CIFAR-10 config
 * (configs/vp/cifar10_ddpmpp_continuous.py): nf 128, chMult [1, 2, 2, 2], 4 residual blocks per level
 * (8 for DDPM++ cont. deep), attention at 16, BigGAN-type blocks with nearest/average resampling,
 * positional features of 999 t on VP (auto), dropout 0.1, skip rescaling, initScale 0.
 */
public final class DdpmppPlugin extends NcsnppFamilyPlugin {
    public DdpmppPlugin() { super(new Defaults(false, "none")); }

    @Override public String name() { return "ddpmpp"; }

    @Override public String description() {
        return "DDPM++ U-Net (NCSN++ without FIR resampling or input pyramid, positional noise features): the paper's VP image model";
    }
}
