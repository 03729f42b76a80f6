experiment('wrong_plugin_param_type') {
    data 'gmm'
    sde 'vp', betaMax: 'high'
    model 'exact'
}
