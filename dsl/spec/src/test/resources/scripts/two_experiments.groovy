experiment('first') {
    data 'gmm'
    sde 'vp'
    model 'exact'
}

experiment('second') {
    data 'moons'
}
