experiment('plugin_not_a_name') {
    data 'gmm'
    sde 42
    model 'exact'
}
