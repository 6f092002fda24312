"""The command line: the only place that prints, writes files and chooses the exit status."""
