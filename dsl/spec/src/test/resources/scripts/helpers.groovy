// plain Groovy around the DSL: a helper method, a binding variable, a local, property style
def width(int scale) { 64 * scale }
depth = 2
def name = 'helpers'
experiment(name) {
    seed 3
    data 'checkerboard'
    sde 'vp', betaMax: 10
    model 'mlp', hidden: [width(2)] * depth
    train {
        steps = 20
        lr 1e-3
    }
    sample {
        corrector 'none'
        n depth * 50
        denoise false
    }
}
