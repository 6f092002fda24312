"""Everything that becomes the task definition: containers, environment, files, volumes, probes, size, roles."""
