// no model
experiment('missing_model') {
    data 'checkerboard'
    sde 'vp'
    sample { steps 10 }
}
