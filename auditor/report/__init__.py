"""Reports: one model (model.py) built from flow graphs; one module per output format."""
