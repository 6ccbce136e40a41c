"""The registry's screens: the registry page, its table model and the cooperative form."""
