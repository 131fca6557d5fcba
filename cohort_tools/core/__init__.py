"""Infrastructure: problems and errors, configuration loading, atomic files, paths, CLI glue."""
