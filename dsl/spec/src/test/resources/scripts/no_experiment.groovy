// forgot to wrap the settings in experiment('name') { ... }
def x = 1
