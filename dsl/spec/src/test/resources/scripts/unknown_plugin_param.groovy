experiment('unknown_plugin_param') {
    data 'gmm'
    sde 'vp', betaMin: 0.1,
              betaMaxx: 20
    model 'exact'
    sample { steps 10 }
}
