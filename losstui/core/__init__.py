"""Pure numpy core: losses, information measures, datasets, models and training."""
