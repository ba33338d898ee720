"""Reports and exports: thin renderings of what the pure layers computed."""
