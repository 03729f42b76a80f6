// the user's own code fails while the script runs
def layers = 3
experiment('runtime_error') {
    data 'checkerboard'
    sde 'vp'
    model 'mlp', hidden: (1..layers).collect { 256 / (it - 2) }
}
